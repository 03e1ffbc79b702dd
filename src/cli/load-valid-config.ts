// Loads the configuration for a one-shot command (the files run reads): its errors printed located, then a config error thrown.

import type { CommandIo } from './command.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import { loadHomeConfig, type HomeConfig } from '../config/load-home-config.js';
import { IntegratordError } from '../errors.js';
import type { WazuhPaths } from '../wazuh-home.js';

/**
 * The decoded configuration. When it has errors, every diagnostic goes to stderr as
 * FILE:LINE:COL and an INTEGRATORD_CONFIG error is thrown (exit 1); warnings are not printed.
 */
export const loadValidConfig = async (paths: WazuhPaths, io: CommandIo): Promise<HomeConfig> => {
  const loaded = await loadHomeConfig(paths);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    throw new IntegratordError('INTEGRATORD_CONFIG', `${loaded.file} has errors (above)`);
  }
  return loaded;
};
