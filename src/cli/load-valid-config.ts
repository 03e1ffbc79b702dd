// Loads ossec.conf for a one-shot command: its errors printed located, then a config error thrown.

import type { CommandIo } from './command.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { IntegratordError } from '../errors.js';

/**
 * The decoded configuration. When it has errors, every diagnostic goes to stderr as
 * FILE:LINE:COL and an INTEGRATORD_CONFIG error is thrown (exit 1); warnings are not printed.
 */
export const loadValidConfig = async (file: string, io: CommandIo): Promise<LoadedConfig> => {
  const loaded = await loadConfigFile(file);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    throw new IntegratordError('INTEGRATORD_CONFIG', `${file} has errors (above)`);
  }
  return loaded;
};
