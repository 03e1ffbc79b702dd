// After a reload: the series and health entries of blocks that are no longer configured (or running) go away.

import type { Metric, Registry } from 'prom-client';
import type { HealthMonitor } from './health.js';

/** A block as the labels name it: its position and integration name. */
export interface LabelledBlock {
  readonly index: number;
  readonly name: string;
}

const keyOf = (index: number | string, name: unknown) => `${String(index)}\u0000${String(name)}`;

/**
 * Removes from every metric of `registry` the series of a block (`block`, `integration` labels) that
 * is not in `configured` (a block removed by a reload, or moved to another position), and from
 * `health` every block that is not in `running` (removed or now disabled). Series without a `block`
 * label are kept. Resolves with the number of series removed; never rejects.
 */
export const forgetRemovedBlocks = async (
  registry: Registry,
  health: HealthMonitor,
  configured: readonly LabelledBlock[],
  running: readonly LabelledBlock[],
): Promise<number> => {
  const keep = new Set(configured.map((b) => keyOf(b.index, b.name)));
  let removed = 0;
  for (const object of registry.getMetricsAsArray()) {
    const metric = object as unknown as Metric & { remove(labels: Record<string, string | number>): void };
    const values = await Promise.resolve(metric.get()).then((m) => m.values, () => []);
    const gone = new Map<string, Record<string, string | number>>();
    for (const { labels } of values) {
      if (labels['block'] === undefined || keep.has(keyOf(labels['block'], labels['integration']))) continue;
      // A histogram's bucket values carry `le`: its series is named without it.
      const { le: _le, ...series } = labels as Record<string, string | number>;
      gone.set(JSON.stringify(series), series);
    }
    for (const series of gone.values()) {
      metric.remove(series);
      removed++;
    }
  }
  const alive = new Set(running.map((b) => keyOf(b.index, b.name)));
  for (const b of health.report().blocks) if (!alive.has(keyOf(b.block, b.integration))) health.remove(b.block);
  return removed;
};
