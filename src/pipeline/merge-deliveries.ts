// mergeMap for deliveries without an Observable per alert: each one is started with a callback sink, `concurrency` at a time.

import { Observable, type OperatorFunction } from 'rxjs';

/** Where a started delivery reports: its outcomes (`next`), then `done` once. */
export interface DeliverySink<R> {
  next(value: R): void;
  done(): void;
  error(error: unknown): void;
}

/** Starts one delivery; returns how to cancel it (or nothing when it already ended, or has nothing to stop). */
export type StartDelivery<T, R> = (input: T, sink: DeliverySink<R>) => (() => void) | undefined;

/**
 * Like `mergeMap(project, concurrency)`, with `start` in place of an inner Observable: up to
 * `concurrency` deliveries run at once, later inputs wait in arrival order (the caller bounds them:
 * the lane's window), outcomes are emitted as they come. Completes once the source completed and
 * every delivery is done; an error of a delivery errors the output. Unsubscribing cancels every
 * running delivery.
 */
export const mergeDeliveries =
  <T, R>(start: StartDelivery<T, R>, concurrency: number): OperatorFunction<T, R> =>
  (source) =>
    new Observable<R>((subscriber) => {
      const waiting: (T | undefined)[] = [];
      let head = 0;
      let active = 0;
      let ended = false;
      let pumping = false;
      const running = new Set<() => void>();

      const launch = (input: T) => {
        active++;
        let finished = false;
        let cancel: (() => void) | undefined;
        const sink: DeliverySink<R> = {
          next: (value) => {
            if (!finished) subscriber.next(value);
          },
          done: () => {
            if (finished) return;
            finished = true;
            active--;
            if (cancel !== undefined) running.delete(cancel);
            pump();
          },
          error: (error) => subscriber.error(error),
        };
        cancel = start(input, sink);
        if (finished || cancel === undefined) return;
        running.add(cancel);
      };

      const pump = () => {
        if (pumping) return;
        pumping = true;
        while (active < concurrency && head < waiting.length && !subscriber.closed) {
          const input = waiting[head] as T;
          waiting[head++] = undefined;
          launch(input);
        }
        if (head === waiting.length) {
          waiting.length = 0;
          head = 0;
        } else if (head > 1024) {
          waiting.splice(0, head);
          head = 0;
        }
        pumping = false;
        if (ended && active === 0 && waiting.length === 0) subscriber.complete();
      };

      const subscription = source.subscribe({
        next: (input) => {
          if (active < concurrency && waiting.length === 0) launch(input);
          else waiting.push(input);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          ended = true;
          pump();
        },
      });

      return () => {
        subscription.unsubscribe();
        const cancels = [...running];
        running.clear();
        waiting.length = 0;
        for (const cancel of cancels) cancel();
      };
    });
