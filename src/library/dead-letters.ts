// The library's dead letters: list them and redrive them, thin wrappers over the store and `dlq redrive`'s engine.

import type { IntegrationConfig } from '../config/integration-config.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import { loadConfigFile, loadConfigText } from '../config/load.js';
import { DeadLetterStore, type DeadLetterRecord } from '../delivery/dead-letter.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { IntegratordError } from '../errors.js';
import { createDeliveryParts } from '../pipeline/delivery-parts.js';
import { redriveFile, type RedriveResult } from '../pipeline/redrive.js';
import { DEFAULT_HOME, wazuhPaths } from '../wazuh-home.js';

export type { DeadLetterRecord } from '../delivery/dead-letter.js';
export type { RedriveResult } from '../pipeline/redrive.js';

/** Where the dead letters are: the integrator's `state` (default HOME/var/integratord) and `home`. */
export interface DeadLetterPlace {
  readonly state?: string;
  readonly home?: string;
}

/** What redriveDeadLetters takes: the current blocks (ossec.conf text, decoded blocks, or a file) and where things are. */
export type RedriveOptions = DeadLetterPlace & { readonly queue?: QueueWriter } & (
    | { readonly config: string | readonly IntegrationConfig[]; readonly configFile?: never }
    | { readonly configFile: string; readonly config?: never }
  );

const pathsOf = (place: DeadLetterPlace) => wazuhPaths(place.home ?? DEFAULT_HOME, { state: place.state });

/** Every readable dead letter (of one block when `blockId` is given), in file order: what `integratord dlq list` shows. */
export const listDeadLetters = (place: DeadLetterPlace & { readonly blockId?: string } = {}): Promise<DeadLetterRecord[]> =>
  new DeadLetterStore(pathsOf(place).state).records(place.blockId);

/**
 * Re-sends every dead letter through the block with its file's id in `config` (as `integratord dlq
 * redrive` does): delivered ones are removed, failures kept with the new attempt, orphaned files
 * (no block has their id) kept untouched. Resolves with one result per file; rejects on file errors
 * or an invalid configuration (INTEGRATORD_CONFIG).
 */
export const redriveDeadLetters = async (options: RedriveOptions): Promise<RedriveResult[]> => {
  let configs: readonly IntegrationConfig[];
  if (Array.isArray(options.config)) configs = options.config;
  else {
    const loaded = typeof options.config === 'string' ? loadConfigText(options.config) : await loadConfigFile(options.configFile as string);
    if (!loaded.ok) throw new IntegratordError('INTEGRATORD_CONFIG', loaded.diagnostics.map(formatDiagnostic).join('\n'));
    configs = loaded.integrations;
  }
  const paths = pathsOf(options);
  const delivery = createDeliveryParts({ paths, queue: options.queue });
  try {
    const results: RedriveResult[] = [];
    for (const file of await delivery.deadLetters.files()) results.push(await redriveFile(file, { configs, paths, delivery }));
    return results;
  } finally {
    await delivery.close();
  }
};
