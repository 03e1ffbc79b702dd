// TEST ONLY: a minimal executor of integration Steps (HTTP via undici, queue via a QueueWriter) — not the pipeline.

import { request } from 'undici';
import type { HttpResponse, Step, Verdict } from '../../src/delivery/step.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';

export interface TraceEntry {
  readonly step: 'http' | 'queue';
  /** HTTP status, when an answer arrived. */
  readonly status?: number;
  readonly verdict: Verdict;
}

export interface RunResult {
  readonly outcome: 'delivered' | 'dead-lettered';
  readonly reason?: string;
  readonly trace: readonly TraceEntry[];
  /** Every queue message sent, in order. */
  readonly sent: readonly string[];
}

export interface RunOptions {
  readonly writer: QueueWriter;
  /** Further attempts after a retry verdict (the block's <retries>). */
  readonly retries?: number;
  /** Deadline of one HTTP attempt, in ms. */
  readonly timeoutMs?: number;
  /** Waits are recorded in the trace but capped at this (specs must stay fast). */
  readonly maxWaitMs?: number;
}

const attemptHttp = async (step: Extract<Step, { kind: 'http' }>, timeoutMs: number): Promise<{ verdict: Verdict; response?: HttpResponse }> => {
  try {
    const res = await request(step.request.url, {
      method: step.request.method,
      headers: step.request.headers,
      ...(step.request.body === undefined ? {} : { body: step.request.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const response: HttpResponse = { status: res.statusCode, headers: res.headers, body: await res.body.text() };
    return { verdict: step.classify(response), response };
  } catch (error) {
    const name = (error as Error).name;
    const reason = name === 'TimeoutError' || name === 'AbortError' ? 'request timed out' : `connection error ${(error as { code?: string }).code ?? name}`;
    return { verdict: { kind: 'retry', reason } };
  }
};

/**
 * Runs steps in order, depth first (a step's after/onGiveUp steps run right after it). Retries a
 * step on a retry verdict up to `retries` times; when it is given up, runs onGiveUp and stops:
 * the alert is dead-lettered. Returns what happened.
 */
export const runSteps = async (steps: readonly Step[], options: RunOptions): Promise<RunResult> => {
  const { writer, retries = 3, timeoutMs = 2000, maxWaitMs = 5 } = options;
  const trace: TraceEntry[] = [];
  const sent: string[] = [];
  const queue = [...steps];
  while (queue.length > 0) {
    const step = queue.shift() as Step;
    if (step.kind === 'exec' || step.kind === 'smtp') throw new Error(`runSteps does not run ${step.kind} steps`);
    let attempt = 0;
    for (;;) {
      let verdict: Verdict;
      let response: HttpResponse | undefined;
      if (step.kind === 'http') {
        ({ verdict, response } = await attemptHttp(step, timeoutMs));
        trace.push({ step: 'http', ...(response ? { status: response.status } : {}), verdict });
      } else {
        verdict = await writer.send(step.message, new AbortController().signal);
        trace.push({ step: 'queue', verdict });
        if (verdict.kind === 'delivered') sent.push(step.message);
      }
      if (verdict.kind === 'delivered') {
        if (step.kind === 'http' && response && step.after) queue.unshift(...step.after(response));
        break;
      }
      if (verdict.kind === 'retry' && attempt < retries) {
        attempt++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(verdict.afterMs ?? 0, maxWaitMs)));
        continue;
      }
      const reason = verdict.reason;
      if (step.kind === 'http' && step.onGiveUp) {
        const last = { ...(response ? { status: response.status } : {}), reason };
        for (const followUp of step.onGiveUp(last)) {
          if (followUp.kind === 'http') {
            // Further lookups after a refusal (the pipeline runs every give-up step); the alert stays dead-lettered.
            const rest = await runSteps([followUp], options);
            trace.push(...rest.trace);
            sent.push(...rest.sent);
            continue;
          }
          if (followUp.kind !== 'queue') continue;
          const v = await writer.send(followUp.message, new AbortController().signal);
          trace.push({ step: 'queue', verdict: v });
          if (v.kind === 'delivered') sent.push(followUp.message);
        }
      }
      return { outcome: 'dead-lettered', reason, trace, sent };
    }
  }
  return { outcome: 'delivered', trace, sent };
};
