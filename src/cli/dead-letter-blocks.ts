// Which configured block (ossec.conf, integratord.conf) each dead-letter file belongs to, for `dlq`: --block by id or position, orphans, migration.

import type { CommandIo } from './command.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { loadHomeConfig, type HomeConfig } from '../config/load-home-config.js';
import type { DeadLetterFile, DeadLetterStore } from '../delivery/dead-letter.js';
import { IntegratordError } from '../errors.js';
import { migrateLegacyState } from '../pipeline/migrate-legacy-state.js';
import type { WazuhPaths } from '../wazuh-home.js';

/** The configured blocks, or undefined (with the reason) when it cannot be read or has errors. */
export type CurrentBlocks = { readonly configs: readonly IntegrationConfig[]; /** The files they were read from, for messages. */ readonly file?: string } | { readonly configs: undefined; readonly why: string };

/**
 * Reads the configuration as run does (loadHomeConfig) for `dlq` and `silence`. When it has errors they are printed located when `printErrors`
 * (redrive, which then sends nothing); list and drop only lose the matching of files to blocks.
 * A file that cannot be read rejects (INTEGRATORD_CONFIG) when `printErrors`, else is a reason too.
 * With valid blocks, the `<index>-<name>` files of older versions are migrated first, as the
 * daemon does on its first start.
 */
export const currentBlocks = async (paths: WazuhPaths, store: DeadLetterStore | undefined, io: CommandIo, printErrors: boolean): Promise<CurrentBlocks> => {
  let loaded: HomeConfig;
  try {
    loaded = await loadHomeConfig(paths);
  } catch (error) {
    if (printErrors || !(error instanceof IntegratordError)) throw error;
    return { configs: undefined, why: error.message };
  }
  if (!loaded.ok) {
    if (printErrors) for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    return { configs: undefined, why: `${loaded.file} has errors (integratord check${paths.configFiles.length === 1 ? ` -c ${paths.config}` : ` --home ${paths.home}`})` };
  }
  if (store !== undefined) await migrateLegacyState(loaded.integrations, { deadLetters: store });
  return { configs: loaded.integrations, file: loaded.file };
};

/** The block id `--block` names: a block id (of a current block or of a file), or a 0-based position among the configured blocks. */
export const blockIdOption = (value: string, blocks: CurrentBlocks, files: readonly DeadLetterFile[]): string => {
  if (blocks.configs?.some((c) => c.id === value) || files.some((f) => f.id === value)) return value;
  if (!/^\d+$/.test(value)) throw new IntegratordError('INTEGRATORD_USAGE', `--block expects a block id (as dlq list shows) or a block number (0, 1, …), got '${value}'`);
  if (blocks.configs === undefined) throw new IntegratordError('INTEGRATORD_CONFIG', `--block ${value}: a block number needs a readable configuration (${blocks.why}); give the block id instead`);
  const config = blocks.configs.find((c) => c.index === Number(value));
  if (config === undefined) throw new IntegratordError('INTEGRATORD_USAGE', `--block ${value}: ${blocks.file ?? 'the configuration'} has ${blocks.configs.length} block(s) (0 to ${blocks.configs.length - 1})`);
  return config.id;
};
