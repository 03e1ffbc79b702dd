// The 18 real-shaped Wazuh alerts of spec/fixtures/wazuh-alert-samples.jsonl, parsed.

import { readFileSync } from 'node:fs';
import type { Alert } from '../../src/alerts/alert.js';
import { fixturePath } from './fixture-path.js';

/** Every sample alert, in file order (line n of the fixture is index n-1). */
export const sampleAlerts = (): Alert[] =>
  readFileSync(fixturePath('wazuh-alert-samples.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Alert);

/** A fresh (mutable) copy of one sample, by its 1-based line number (reference §9). */
export const sampleAlert = (line: number): Record<string, unknown> & Alert => {
  const alert = sampleAlerts()[line - 1];
  if (alert === undefined) throw new Error(`no sample alert on line ${line}`);
  return alert as Record<string, unknown>;
};
