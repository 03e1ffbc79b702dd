// Dead letters an embedded integrator writes itself (overflow, stop): gathered per block and written in one fsynced append.

import { alertId, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { DeadLetterRecord } from '../delivery/dead-letter.js';
import { errorMessage } from '../errors.js';
import type { DeliveryParts } from '../pipeline/delivery-parts.js';
import { log } from '../telemetry/log.js';
import { blockLabels } from '../telemetry/metrics.js';

/** Records per write: a batch of a few MB at most, whatever the number of alerts spilled at once. */
export const DEAD_LETTER_BATCH = 2000;

interface Pending {
  readonly config: IntegrationConfig;
  readonly records: DeadLetterRecord[];
  readonly done: ((written: boolean) => void)[];
}

/**
 * Collects the dead letters written in one turn and appends them per block file in batches of
 * DEAD_LETTER_BATCH (one write and one fsync each) on the next turn: 3,000 alerts unsettled at stop
 * cost two fsyncs per block, not 3,000. Each `write` resolves true once its record is on disk, false
 * when it could not be written (logged with the reason); it never rejects. Counted in
 * integratord_alerts_dead_lettered_total and logged (AlertDeadLettered, with the alert's id and reason) like any dead letter.
 */
export class DeadLetterBatch {
  readonly #parts: Pick<DeliveryParts, 'deadLetters' | 'metrics'>;
  readonly #pending = new Map<string, Pending>();
  #scheduled = false;
  #flushing: Promise<void> = Promise.resolve();

  constructor(parts: Pick<DeliveryParts, 'deadLetters' | 'metrics'>) {
    this.#parts = parts;
  }

  write(config: IntegrationConfig, alert: Alert, reason: string): Promise<boolean> {
    let pending = this.#pending.get(config.id);
    if (pending === undefined) {
      pending = { config, records: [], done: [] };
      this.#pending.set(config.id, pending);
    }
    const record: DeadLetterRecord = { time: new Date().toISOString(), block_id: config.id, block: config.index, integration: config.name, alert, attempts: 0, reason };
    pending.records.push(record);
    const written = new Promise<boolean>((resolve) => pending.done.push(resolve));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.#flushing = this.#flushing.then(() => this.#flush());
      });
    }
    return written;
  }

  /** Resolves once every record handed over so far was written (or failed). */
  async settled(): Promise<void> {
    while (this.#scheduled || this.#pending.size > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    await this.#flushing;
  }

  async #flush(): Promise<void> {
    const batches = [...this.#pending.values()];
    this.#pending.clear();
    await Promise.all(batches.map((batch) => this.#writeBlock(batch)));
  }

  async #writeBlock({ config, records, done }: Pending): Promise<void> {
    for (let start = 0; start < records.length; start += DEAD_LETTER_BATCH) {
      const chunk = records.slice(start, start + DEAD_LETTER_BATCH);
      const where = (record: DeadLetterRecord) => ({ block: config.index, integration: config.name, alert_id: alertId(record.alert), reason: record.reason });
      let written = true;
      try {
        await this.#parts.deadLetters.appendMany(chunk);
        this.#parts.metrics.alertsDeadLettered.inc(blockLabels(config.index, config.name), chunk.length);
        for (const record of chunk) log.warning('AlertDeadLettered', where(record));
      } catch (error) {
        written = false;
        for (const record of chunk) log.error('DeadLetterNotWritten', { ...where(record), error: errorMessage(error) });
      }
      for (const resolve of done.slice(start, start + DEAD_LETTER_BATCH)) resolve(written);
    }
  }
}
