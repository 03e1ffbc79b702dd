// Specs for src/pipeline/operators/retry-with-timeout.ts (Retry-and-timeout: runs one delivery attempt with a deadline, retries it with backoff, obeys Retry-After pauses).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstValueFrom, of, Observable, type ObservableInput } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { attemptWithRetries, type Attempt, type RetryOptions } from '../../../src/pipeline/operators/retry-with-timeout.js';
import { DestinationPauses } from '../../../src/delivery/destination-pauses.js';
import type { Verdict } from '../../../src/delivery/step.js';
import { startStandIn } from '../../../src/stand-ins/stand-in-server.js';
import { HttpClient } from '../../../src/delivery/http.js';
import { classifyError, classifyHttp } from '../../../src/delivery/classify-http.js';

const testScheduler = () => new TestScheduler((actual, expected) => assert.equal(actual, expected));

const retry = (reason = 'HTTP 503', extra: Partial<Extract<Verdict, { kind: 'retry' }>> = {}): Verdict => ({ kind: 'retry', reason, ...extra });
const delivered: Verdict = { kind: 'delivered' };

/** An attempt that plays one cold marble per call, and records when each call started. */
const scripted = (ts: TestScheduler, cold: (m: string, v?: Record<string, Verdict>) => Observable<Verdict>, marbles: readonly string[], values: Record<string, Verdict>) => {
  const starts: number[] = [];
  const signals: AbortSignal[] = [];
  let call = 0;
  const attempt: Attempt = (signal) => {
    starts.push(ts.now());
    signals.push(signal);
    const m = marbles[Math.min(call, marbles.length - 1)] as string;
    call += 1;
    return cold(m, values);
  };
  return { attempt, starts, signals };
};

const base = (ts: TestScheduler, extra: Partial<RetryOptions> = {}): RetryOptions => ({
  timeoutMs: 10_000,
  retries: 3,
  scheduler: ts,
  backoff: { random: () => 0.5 },
  ...extra,
});

const virtual = suite('attemptWithRetries in virtual time');

virtual('emits delivered after one attempt that succeeds', () => {
  const ts = testScheduler();
  ts.run(({ cold, expectObservable }) => {
    const { attempt } = scripted(ts, cold, ['--d|'], { d: delivered });
    expectObservable(attemptWithRetries(attempt, base(ts))).toBe('--(r|)', { r: { kind: 'delivered', attempts: 1, verdict: delivered } });
  });
});

virtual('waits full-jitter backoff between retries: random 0.5 gives 250, 500, 1000 ms', () => {
  const ts = testScheduler();
  ts.run(({ cold, expectObservable, flush }) => {
    const { attempt, starts } = scripted(ts, cold, ['-x|'], { x: retry() });
    expectObservable(attemptWithRetries(attempt, base(ts))).toBe('1754ms (r|)', {
      r: { kind: 'gave-up', attempts: 4, reason: 'HTTP 503', status: undefined, final: false, timedOut: false },
    });
    flush();
    assert.equal(starts, [0, 251, 752, 1753]);
  });
});

virtual('backoff stays below the exponential ceiling with random close to 1, and 0 with random 0', () => {
  const ts = testScheduler();
  ts.run(({ cold, flush }) => {
    const high = scripted(ts, cold, ['x|'], { x: retry() });
    attemptWithRetries(high.attempt, base(ts, { backoff: { random: () => 0.9999 } })).subscribe();
    const low = scripted(ts, cold, ['x|'], { x: retry() });
    attemptWithRetries(low.attempt, base(ts, { backoff: { random: () => 0 } })).subscribe();
    flush();
    assert.equal(high.starts, [0, 499, 499 + 999, 499 + 999 + 1999]);
    assert.equal(low.starts, [0, 0, 0, 0]);
  });
});

virtual('caps the backoff at 30 s', () => {
  const ts = testScheduler();
  ts.run(({ cold, flush }) => {
    const { attempt, starts } = scripted(ts, cold, ['x|'], { x: retry() });
    attemptWithRetries(attempt, base(ts, { retries: 8, backoff: { random: () => 0.9999999 } })).subscribe();
    flush();
    const waits = starts.slice(1).map((s, i) => s - (starts[i] as number));
    assert.equal(waits, [499, 999, 1999, 3999, 7999, 15999, 29999, 29999]);
  });
});

virtual('times out an attempt that never answers, aborts its signal and retries', () => {
  const ts = testScheduler();
  ts.run(({ cold, expectObservable, flush }) => {
    const { attempt, starts, signals } = scripted(ts, cold, ['-', '--d|'], { d: delivered });
    expectObservable(attemptWithRetries(attempt, base(ts, { timeoutMs: 100, backoff: { random: () => 0 } }))).toBe('102ms (r|)', {
      r: { kind: 'delivered', attempts: 2, verdict: delivered },
    });
    flush();
    assert.equal(starts, [0, 100]);
    assert.ok(signals[0]?.aborted, 'the timed-out attempt was aborted');
    assert.is((signals[0]?.reason as Error).name, 'TimeoutError');
  });
});

virtual('gives up after the last timeout with the timeout as reason', () => {
  const ts = testScheduler();
  ts.run(({ cold, expectObservable }) => {
    const { attempt } = scripted(ts, cold, ['-'], {});
    expectObservable(attemptWithRetries(attempt, base(ts, { timeoutMs: 2000, retries: 1, backoff: { random: () => 0 } }))).toBe('4000ms (r|)', {
      r: { kind: 'gave-up', attempts: 2, reason: 'timed out after 2 s', status: undefined, final: false, timedOut: true },
    });
  });
});

virtual('waits exactly Retry-After (afterMs) instead of the backoff', () => {
  const ts = testScheduler();
  ts.run(({ cold, flush }) => {
    const { attempt, starts } = scripted(ts, cold, ['x|', 'd|'], { x: retry('HTTP 429', { afterMs: 3000 }), d: delivered });
    attemptWithRetries(attempt, base(ts)).subscribe();
    flush();
    assert.equal(starts, [0, 3000]);
  });
});

virtual('a pause set by one block holds another block sending to the same destination', () => {
  const ts = testScheduler();
  ts.run(({ cold, flush }) => {
    const pauses = new DestinationPauses();
    const shared = { pauses, destination: 'http://svc' };
    const a = scripted(ts, cold, ['-x|', 'd|'], { x: retry('HTTP 429', { afterMs: 5000, pause: true, status: 429 }), d: delivered });
    const b = scripted(ts, cold, ['d|'], { d: delivered });
    const other = scripted(ts, cold, ['d|'], { d: delivered });
    const waits: number[] = [];
    attemptWithRetries(a.attempt, base(ts, shared)).subscribe();
    ts.schedule(() => attemptWithRetries(b.attempt, base(ts, { ...shared, onPauseWait: (ms) => waits.push(ms) })).subscribe(), 10);
    ts.schedule(() => attemptWithRetries(other.attempt, base(ts, { pauses, destination: 'http://elsewhere' })).subscribe(), 10);
    flush();
    assert.equal(a.starts, [0, 5001]);
    assert.equal(b.starts, [5001], 'no request before the Retry-After elapsed');
    assert.equal(waits, [4991]);
    assert.equal(other.starts, [10], 'another destination is not held');
  });
});

virtual('drops without retrying', () => {
  const ts = testScheduler();
  ts.run(({ cold, expectObservable, flush }) => {
    const { attempt, starts } = scripted(ts, cold, ['-x|'], { x: { kind: 'drop', reason: 'HTTP 400: invalid_payload', status: 400 } });
    expectObservable(attemptWithRetries(attempt, base(ts))).toBe('-(r|)', {
      r: { kind: 'gave-up', attempts: 1, reason: 'HTTP 400: invalid_payload', status: 400, final: true, timedOut: false },
    });
    flush();
    assert.is(starts.length, 1);
  });
});

virtual('retries a thrown error and an attempt that completes without a verdict', () => {
  const ts = testScheduler();
  ts.run(({ cold, flush }) => {
    const verdicts: string[] = [];
    let call = 0;
    const attempt: Attempt = (): ObservableInput<Verdict> => {
      call += 1;
      if (call === 1) throw new Error('boom');
      if (call === 2) return cold('|');
      return cold('#', {}, new Error('late boom'));
    };
    attemptWithRetries(attempt, base(ts, { retries: 2, onAttempt: (e) => verdicts.push(e.verdict.kind === 'retry' ? e.verdict.reason : e.verdict.kind) })).subscribe();
    flush();
    assert.equal(verdicts, ['boom', 'the attempt ended without a verdict', 'late boom']);
  });
});

virtual('unsubscribing aborts the running attempt', () => {
  const ts = testScheduler();
  ts.run(({ cold, expectObservable, flush }) => {
    const { attempt, signals } = scripted(ts, cold, ['-'], {});
    expectObservable(attemptWithRetries(attempt, base(ts)), '50ms !').toBe('');
    flush();
    assert.ok(signals[0]?.aborted);
  });
});

virtual('waits for beforeAttempt (the rate limit) before every attempt', () => {
  const ts = testScheduler();
  ts.run(({ cold, flush }) => {
    const { attempt, starts } = scripted(ts, cold, ['x|', 'd|'], { x: retry(), d: delivered });
    attemptWithRetries(attempt, base(ts, { backoff: { random: () => 0 }, beforeAttempt: () => cold('100ms t') })).subscribe();
    flush();
    assert.equal(starts, [100, 200]);
  });
});

virtual('reports every attempt and every scheduled retry', () => {
  const ts = testScheduler();
  ts.run(({ cold, flush }) => {
    const attempts: number[] = [];
    const retries: number[] = [];
    const { attempt } = scripted(ts, cold, ['x|', 'd|'], { x: retry(), d: delivered });
    attemptWithRetries(attempt, base(ts, { onAttempt: (e) => attempts.push(e.attempt), onRetry: (e) => retries.push(e.delayMs) })).subscribe();
    flush();
    assert.equal(attempts, [1, 2]);
    assert.equal(retries, [250]);
  });
});
virtual.run();

const wiring = suite('attemptWithRetries in real time');
wiring('retries a real 503 then delivers the 200', async () => {
  const server = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  const http = new HttpClient();
  try {
    server.script({ status: 503 });
    const attempt: Attempt = (signal) => http.send({ method: 'POST', url: `${server.url}/x`, headers: {}, body: '{}' }, signal).then((r) => classifyHttp(r), classifyError);
    const result = await firstValueFrom(attemptWithRetries(attempt, { timeoutMs: 2000, retries: 2, backoff: { baseMs: 5 } }));
    assert.equal(result, { kind: 'delivered', attempts: 2, verdict: { kind: 'delivered', detail: 'HTTP 200' } });
    assert.is(server.received.length, 2);
  } finally {
    await http.close();
    await server.close();
  }
});
wiring('aborts a hanging request at the deadline and gives up', async () => {
  const server = await startStandIn({ answer: () => ({ status: 200 }) });
  const http = new HttpClient();
  try {
    server.script('hang', 'hang');
    const attempt: Attempt = (signal) => http.send({ method: 'POST', url: server.url, headers: {}, body: '{}' }, signal).then((r) => classifyHttp(r), classifyError);
    const result = await firstValueFrom(attemptWithRetries(attempt, { timeoutMs: 100, retries: 1, backoff: { baseMs: 1 } }));
    assert.equal(result, { kind: 'gave-up', attempts: 2, reason: 'timed out after 0.1 s', status: undefined, final: false, timedOut: true });
  } finally {
    await http.close();
    await server.close();
  }
});
wiring('a promise attempt that resolves synchronously-ish still gets one result', async () => {
  const result = await firstValueFrom(attemptWithRetries(() => Promise.resolve(delivered), { timeoutMs: 1000, retries: 0 }));
  assert.is(result.kind, 'delivered');
  const fromObservable = await firstValueFrom(attemptWithRetries(() => of(delivered), { timeoutMs: 1000, retries: 0 }));
  assert.is(fromObservable.attempts, 1);
});
wiring.run();
