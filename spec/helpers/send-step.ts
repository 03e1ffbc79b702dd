// Sends one HttpStep through the real client and classifies the answer, as the pipeline's attempt does.

import { classifyError } from '../../src/delivery/classify-http.js';
import type { HttpSender } from '../../src/delivery/http.js';
import type { Step, Verdict } from '../../src/delivery/step.js';

/** One attempt of an http step (5 s deadline); throws for other kinds of steps. */
export const sendOnce = (http: HttpSender, step: Step | undefined): Promise<Verdict> => {
  if (step?.kind !== 'http') throw new Error(`expected an http step, got ${step?.kind}`);
  return http.send(step.request, AbortSignal.timeout(5000)).then((r) => step.classify(r), classifyError);
};
