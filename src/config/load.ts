// Loads ossec.conf: SAX read, io-ts decode, warnings; every problem located in one pass.

import { byPosition, type Diagnostic } from './diagnostic.js';
import { decodeIntegrations } from './decode.js';
import type { IntegrationConfig } from './integration-config.js';
import { readOssecConf, readOssecConfText, type ReadResult } from './read-ossec-conf.js';
import { warnIntegration } from './warnings.js';
import { IntegratordError } from '../errors.js';

export interface LoadedConfig {
  readonly file: string;
  /** Decoded blocks in file order; empty when there is any error. */
  readonly integrations: readonly IntegrationConfig[];
  /** Errors and warnings sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when there is no error (warnings allowed). */
  readonly ok: boolean;
}

const finish = (file: string, read: ReadResult): LoadedConfig => {
  const decoded = decodeIntegrations(file, read.integrations);
  const warnings = decoded.configs.flatMap((config) => {
    const raw = read.integrations[config.index];
    return raw ? warnIntegration(file, raw, config) : [];
  });
  const errors = [...read.problems, ...decoded.errors];
  const ok = errors.length === 0;
  return {
    file,
    integrations: ok ? decoded.configs : [],
    diagnostics: [...errors, ...warnings].sort(byPosition),
    ok,
  };
};

/** Parses ossec.conf text held in memory (tests, the library API). */
export const loadConfigText = (text: string, file = 'ossec.conf'): LoadedConfig => finish(file, readOssecConfText(text, file));

/**
 * Reads and validates ossec.conf. Resolves with diagnostics for content problems; rejects with
 * an IntegratordError (code INTEGRATORD_CONFIG) only when the file cannot be read at all.
 */
export const loadConfigFile = async (file: string): Promise<LoadedConfig> => {
  try {
    return finish(file, await readOssecConf(file));
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? `${String(error.code)}: ${error.message}` : String(error);
    throw new IntegratordError('INTEGRATORD_CONFIG', `cannot read ${file} (${reason})`, { cause: error });
  }
};
