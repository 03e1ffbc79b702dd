// The vocabulary of an embedded integrator's limits and stop: its defaults, stop options, the counts stop() returns, its typed refusals.

import { IntegratordError } from '../errors.js';
import { deferred } from './deferred.js';

/**
 * 256 alerts per block (more with a concurrency above 64: see defaultHighWaterMark): room for every
 * delivery in flight and as many again waiting, so a block never idles for want of alerts. Not more:
 * each held alert stays alive long enough to reach V8's old generation, which grows to about four
 * times what is live before a full collection — 1,000 per block kept the push-mode benchmark's peak
 * RSS at 230 MB, 256 at under 200 MB for the same deliveries/s (README, "Push mode under load").
 */
export const DEFAULT_HIGH_WATER_MARK = 256;

/** Deliveries in flight per block that the default window leaves room for, waiting alerts included. */
const WINDOW_PER_DELIVERY = 4;

/** The window of a block when the app sets none: DEFAULT_HIGH_WATER_MARK, or four alerts per delivery at once if that is more. */
export const defaultHighWaterMark = (concurrency: number | undefined): number => Math.max(DEFAULT_HIGH_WATER_MARK, WINDOW_PER_DELIVERY * (concurrency ?? 0));

/** Callers of send() that may wait for room at once, per alert of the high-water mark (each holds its alert); the next one is refused (INTEGRATORD_BACKPRESSURE). */
export const DEFAULT_WAITING_PER_MARK = 2;

/** alerts$ values held while every block is full (alerts$ cannot be paused); the next ones are dead-lettered `overflow`. */
export const DEFAULT_SOURCE_BUFFER = 100_000;

/** A full block that settled nothing but dead letters for this long has stalled: its new alerts are dead-lettered `overflow`. */
export const DEFAULT_STALL_MS = 2000;

/** The dead-letter reason of an alert still unsettled when `stop()`'s grace period ran out. */
export const STOPPED_REASON = 'stopped';

/** The dead-letter reason of an alert a stalled block (or a full alerts$ buffer) could not take: `dlq redrive` sends it later. */
export const OVERFLOW_REASON = 'overflow';

/** What an embedded integrator did over its life, returned by `stop()`: one count per alert and block. */
export interface StopCounts {
  readonly delivered: number;
  readonly skipped: number;
  readonly deadLettered: number;
  readonly rejected: number;
  /** Of `deadLettered`: still unsettled when the grace period ran out, dead-lettered with reason `stopped`. */
  readonly stopped: number;
  /** Of `deadLettered`: not taken by a stalled block or a full alerts$ buffer, dead-lettered with reason `overflow`. */
  readonly overflowed: number;
}

/** How `stop()` ends: `graceMs` for deliveries in flight (default 5 s), `signal` to cut the grace short. */
export interface StopOptions {
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
}

/** What send(), whenReady() and the Writable answer once stop() began. */
export const stoppedError = () => new IntegratordError('INTEGRATORD_STOPPED', 'the integrator is stopping or stopped: it accepts no more alerts');

/**
 * What send() answers when `maxWaiting` callers already wait. Without a stack trace: a flood of
 * refusals (an app that does not await) must cost little memory until its handlers run.
 */
export const backpressureError = (maxWaiting: number): IntegratordError => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new IntegratordError('INTEGRATORD_BACKPRESSURE', `${maxWaiting} callers already wait for room: the alert was not taken (retry later, or await whenReady() first)`);
  } finally {
    Error.stackTraceLimit = limit;
  }
};

/** What send() answers when its signal fired before the alert was accepted. */
export const abortedError = (reason: unknown) => new IntegratordError('INTEGRATORD_ABORTED', 'send() was aborted before the alert was accepted: it was not taken', { cause: reason });

/** The bounds of a push-mode integrator (createIntegrator options). */
export interface PushLimits {
  /** Alerts one block holds unsettled at most (its window); default 256, or 4 × concurrency if more (defaultHighWaterMark). */
  readonly highWaterMark?: number | undefined;
  /** send() callers waiting for room at most; the next is refused with INTEGRATORD_BACKPRESSURE (default twice highWaterMark; Infinity: all wait). */
  readonly maxWaiting?: number | undefined;
  /** alerts$ values held while the blocks are full; beyond, dead-lettered `overflow` (default 100,000). */
  readonly sourceBuffer?: number | undefined;
  /** A full block settling nothing but dead letters for this long stalled: its new alerts are dead-lettered `overflow` (default 2 s). */
  readonly stallMs?: number | undefined;
}

/** Resolves when `idle` does, the grace ran out, or the signal fired (at once if it already had). */
export const graceOver = async (idle: Promise<void>, options: StopOptions): Promise<void> => {
  const { signal } = options;
  if (signal?.aborted) return;
  let timer: NodeJS.Timeout | undefined;
  const aborted = deferred<void>();
  const onAbort = () => aborted.resolve();
  signal?.addEventListener('abort', onAbort, { once: true });
  await Promise.race([idle, aborted.promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.graceMs ?? 5000)))]);
  clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
};
