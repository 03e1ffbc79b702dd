// A block's delivery over the worker pool, as the Lane's deliver operator: lines out in batches, outcomes back in bulk.

import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';
import type { IntegrationConfig } from '../../config/integration-config.js';
import { log } from '../../telemetry/log.js';
import type { Envelope, Outcome } from '../outcome.js';
import { toWire, type WireConfig } from './config-wire.js';
import { WORKER_CRASHED, type PoolRoute, type Slot, type WorkerPool } from './worker-pool.js';
import type { WireOutcome } from './worker-protocol.js';

/** Routes made so far in this process: each gets a key of its own. */
let routes = 0;

interface Pending {
  readonly envelope: Envelope;
  readonly slot: Slot;
}

/**
 * Envelope → Outcome through the pool: each envelope goes to the next worker in turn (its line as
 * read, or the alert's JSON when it has none); lines bound for one worker leave together once the
 * reader's batch is dispatched. Each outcome comes back with its seq and is given the alert kept
 * here. Lines of a worker that crashed (or refused the block) are delivered again by `fallback` on
 * this thread, and every later line too when no worker is left: never lost, maybe sent twice
 * (as after a restart). Completes once the input completed and every line is settled; unsubscribing
 * tells the workers to abort the block's deliveries (their alerts are read again after a restart).
 */
export const workerDeliver = (pool: WorkerPool, config: IntegrationConfig, fallback: OperatorFunction<Envelope, Outcome>): OperatorFunction<Envelope, Outcome> => {
  const wire = toWire(config);
  return (source) =>
    new Observable<Outcome>((subscriber) => {
      const pending = new Map<number, Pending>();
      const outbox = new Map<Slot, { seqs: number[]; lines: string[] }>();
      let turn = 0;
      /** The workers this block goes to, recomputed when the pool changes or a worker refuses the block. */
      let targets: readonly Slot[] = [];
      let targetsOf = -1;
      let ended = false;
      let again: { input: Subject<Envelope>; subscription: Subscription; open: number } | undefined;
      const refused = new Set<number>();

      const maybeComplete = (): void => {
        if (ended && pending.size === 0 && (again === undefined || again.open === 0)) subscriber.complete();
      };
      const emit = (outcome: Outcome): void => subscriber.next(outcome);
      const elsewhere = (envelope: Envelope): void => {
        again ??= (() => {
          const input = new Subject<Envelope>();
          const state = { input, open: 0, subscription: undefined as unknown as Subscription };
          state.subscription = input.pipe(fallback).subscribe((outcome) => {
            state.open--;
            emit(outcome);
            maybeComplete();
          });
          return state;
        })();
        again.open++;
        again.input.next(envelope);
      };
      const flush = (): void => {
        for (const [slot, batch] of outbox) slot.post({ t: 'lines', block: route.key, seqs: batch.seqs, lines: batch.lines });
        outbox.clear();
      };
      const route: PoolRoute = {
        key: `${wire.id}#${routes++}`,
        config: wire as WireConfig,
        settle(_slot, delivered: readonly number[], list: readonly WireOutcome[]) {
          for (let i = 0; i < delivered.length; i += 2) {
            const seq = delivered[i] as number;
            const p = pending.get(seq);
            if (p === undefined) continue;
            pending.delete(seq);
            emit({ kind: 'delivered', seq, attempts: delivered[i + 1] as number, alert: p.envelope.alert });
          }
          for (const o of list) {
            const p = pending.get(o.seq);
            if (p === undefined) continue;
            pending.delete(o.seq);
            const alert = p.envelope.alert;
            if (o.kind === 'dead-lettered') emit({ kind: 'dead-lettered', seq: o.seq, attempts: o.attempts ?? 0, reason: o.reason ?? 'not delivered', alert });
            else emit({ kind: o.kind, seq: o.seq, reason: o.reason ?? '' });
          }
          maybeComplete();
        },
        lost(slot, why) {
          // A crashed worker's successor opens the block again; a worker that refused the block gets no more of it.
          if (why !== WORKER_CRASHED) refused.add(slot.index);
          targetsOf = -1;
          const orphans = [...pending.values()].filter((p) => p.slot === slot);
          if (orphans.length > 0) log.error('DeliveryWorkerLostAlerts', { block: config.index, integration: config.name, worker: slot.index, alerts: orphans.length, reason: why, action: 'delivered again on the main thread' });
          for (const p of orphans) {
            pending.delete(p.envelope.seq);
            elsewhere(p.envelope);
          }
          outbox.delete(slot);
        },
      };
      pool.attach(route);
      const input = source.subscribe({
        next(envelope) {
          if (targetsOf !== pool.version) {
            targets = pool.live.filter((s) => !refused.has(s.index));
            targetsOf = pool.version;
          }
          const slot = targets[turn++ % Math.max(1, targets.length)];
          if (slot === undefined) return elsewhere(envelope);
          pending.set(envelope.seq, { envelope, slot });
          let batch = outbox.get(slot);
          if (batch === undefined) {
            if (outbox.size === 0) queueMicrotask(flush);
            batch = { seqs: [], lines: [] };
            outbox.set(slot, batch);
          }
          batch.seqs.push(envelope.seq);
          batch.lines.push(envelope.line ?? JSON.stringify(envelope.alert));
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          ended = true;
          maybeComplete();
        },
      });
      return () => {
        input.unsubscribe();
        again?.subscription.unsubscribe();
        pool.detach(route);
      };
    });
};
