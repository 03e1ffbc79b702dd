// The sample alerts of spec/fixtures/wazuh-alert-samples.jsonl, by 1-based line number (reference §9).

import { readFileSync } from 'node:fs';
import type { Alert } from '../../src/alerts/alert.js';
import { fixturePath } from './fixture-path.js';

const lines = readFileSync(fixturePath('wazuh-alert-samples.jsonl'), 'utf8').trim().split('\n');

/** A fresh copy of sample `n` (1..18). */
export const sampleAlert = (n: number): Record<string, unknown> & Alert => {
  const line = lines[n - 1];
  if (line === undefined) throw new Error(`no sample ${n}`);
  return JSON.parse(line) as Record<string, unknown>;
};
