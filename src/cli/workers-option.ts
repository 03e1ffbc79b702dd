// `--workers N` of run and replay: delivery over N threads, its help line and its checks.

import { IntegratordError } from '../errors.js';
import { positiveNumber } from './parse-options.js';

/** More threads than this is a typo, not a machine (each worker holds its own connections and a V8 heap). */
export const MAX_WORKERS = 64;

export const WORKERS_OPTION = { workers: { type: 'string', default: '1' } } as const;

/** The help lines of --workers, its text starting at `column` (each command aligns its own options). */
export const workersHelp = (column: number): string => {
  const indent = ' '.repeat(column);
  return [
    `${'  --workers N'.padEnd(column)}delivery threads (default 1). With N > 1, blocks deliver over N worker threads;`,
    `${indent}blocks with noise control, rate_per_minute or a custom script stay on the main`,
    `${indent}thread; --concurrency and connections stay per block, shared by the threads`,
  ].join('\n');
};

/** The number of delivery threads `--workers` asks for (1..MAX_WORKERS). */
export const workerCount = (text: string | undefined): number => {
  const n = positiveNumber('workers', text) ?? 1;
  if (n > MAX_WORKERS) throw new IntegratordError('INTEGRATORD_USAGE', `--workers expects at most ${MAX_WORKERS}, got '${text ?? ''}'`);
  return n;
};

/**
 * --workers N > 1 with a cluster's shared state is refused: worker threads read silences from STATE/silences.json
 * only, so the cluster's silences would not reach the blocks they deliver. Closes `shared` before throwing.
 */
export const refuseWorkersWithSharedState = async (workers: number, shared: { close(): Promise<void> } | undefined): Promise<void> => {
  if (workers <= 1 || shared === undefined) return;
  await shared.close();
  throw new IntegratordError('INTEGRATORD_USAGE', '--workers above 1 cannot be combined with --shared-state (or <shared_state>) yet: the cluster\'s silences are applied on the main thread only');
};
