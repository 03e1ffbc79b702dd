// A metrics registry that also counts what delivery workers counted: one /metrics, the same names.

import client from 'prom-client';

type Snapshot = Awaited<ReturnType<client.Registry['getMetricsAsJSON']>>;
type Aggregator = Snapshot[number]['aggregator'];

/** One labelled value of a metric. */
export interface Series {
  readonly labels: Partial<Record<string, string | number>>;
  readonly value: number;
}

/** Gauges whose value is a time or a quota, not an amount: the workers' values are not added up. */
const AGGREGATORS: Readonly<Record<string, Aggregator>> = {
  integratord_block_failing_since_seconds: 'max',
  integratord_block_last_failure_seconds: 'max',
  integratord_dead_letter_next_redrive_seconds: 'max',
  integratord_enrichment_quota_left: 'min',
};

const withAggregators = (snapshot: Snapshot): Snapshot => snapshot.map((m) => (AGGREGATORS[m.name] === undefined ? m : { ...m, aggregator: AGGREGATORS[m.name] as Aggregator }));

/**
 * The main thread's registry. Each worker's latest snapshot (`getMetricsAsJSON`, sent every second
 * and when it stops) is kept by worker; `metrics()` serves the sum of this registry and every
 * snapshot: counters and histograms add up, times take the latest, quotas the lowest. A worker that
 * is gone keeps its counters (they never go back) and loses its gauges (nothing is in flight there).
 */
export class WorkersRegistry extends client.Registry {
  readonly #snapshots = new Map<string, Snapshot>();

  /** The latest snapshot of worker `key`. */
  setSnapshot(key: string, snapshot: Snapshot): void {
    this.#snapshots.set(key, snapshot);
  }

  /** Worker `key` is gone: its counters stay, its gauges go. */
  retire(key: string): void {
    const snapshot = this.#snapshots.get(key);
    // getMetricsAsJSON writes the type as text ('gauge'), whatever prom-client's typings say.
    if (snapshot !== undefined) this.#snapshots.set(key, snapshot.filter((m) => String(m.type) !== 'gauge'));
  }

  /** One metric's series summed as `metrics()` serves them (health checks read failing blocks, blocked writes from here). */
  async valuesOf(name: string): Promise<readonly Series[]> {
    const own = await this.getSingleMetric(name)?.get();
    const parts = [...(own === undefined ? [] : [own]), ...[...this.#snapshots.values()].flatMap((s) => s.filter((m) => m.name === name))];
    if (parts.length === 0) return [];
    const merged = await client.AggregatorRegistry.aggregate(parts.map((m) => withAggregators([m] as Snapshot)))
      .getSingleMetric(name)
      ?.get();
    return merged?.values ?? [];
  }

  override async metrics(): Promise<string> {
    if (this.#snapshots.size === 0) return super.metrics();
    const own = await this.getMetricsAsJSON();
    return client.AggregatorRegistry.aggregate([withAggregators(own), ...[...this.#snapshots.values()].map(withAggregators)]).metrics();
  }
}

/** The series of metric `name` in `registry`: with delivery workers, summed over them (see WorkersRegistry). */
export const seriesOf = async (registry: client.Registry, name: string): Promise<readonly Series[]> =>
  registry instanceof WorkersRegistry ? registry.valuesOf(name) : ((await registry.getSingleMetric(name)?.get())?.values ?? []);
