// A block delivery for specs that settles each alert only when the spec says so (in any order).

import { mergeMap, Subject, take, type OperatorFunction } from 'rxjs';
import type { Envelope, Outcome } from '../../src/pipeline/outcome.js';

export const gatedDelivery = () => {
  const pending = new Map<number, { envelope: Envelope; outcome: Subject<Outcome> }>();
  const seen: number[] = [];
  const counts = { finished: 0 };
  const deliver: OperatorFunction<Envelope, Outcome> = mergeMap((envelope) => {
    const outcome = new Subject<Outcome>();
    pending.set(envelope.seq, { envelope, outcome });
    seen.push(envelope.seq);
    return outcome.pipe(take(1));
  });
  const finish = (seq: number) => {
    const p = pending.get(seq);
    if (!p) throw new Error(`seq ${seq} is not in delivery`);
    pending.delete(seq);
    counts.finished++;
    p.outcome.next({ kind: 'delivered', seq, attempts: 1, alert: p.envelope.alert });
  };
  const finishAll = () => {
    for (const seq of [...pending.keys()]) finish(seq);
  };
  return { deliver, pending, seen, finish, finishAll, counts };
};

/** A delivery that settles every alert at once as delivered. */
export const instantDelivery: OperatorFunction<Envelope, Outcome> = mergeMap(async (envelope) => ({ kind: 'delivered' as const, seq: envelope.seq, attempts: 1, alert: envelope.alert }));
