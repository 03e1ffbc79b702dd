// Specs for bench/corpus-samples.ts: ~900-byte alerts in the 18 sample shapes, none alike, levels for both bench levels.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSampleAlertLines, SAMPLES_MAX_LEVEL } from '../../bench/corpus-samples.js';
import { compilePrefilter } from '../../src/match/prefilter.js';
import { sampleAlerts } from '../helpers/sample-alerts.js';

const COUNT = 20_000;
const lines = [...generateSampleAlertLines(COUNT, 5)];
const alerts = lines.map((l) => JSON.parse(l) as { rule: { level: number; id: string }; location?: string; id: string });

const corpus = suite('corpus-samples');

corpus('is deterministic for a seed and differs between seeds', () => {
  assert.equal([...generateSampleAlertLines(50, 5)], lines.slice(0, 50));
  assert.not.equal([...generateSampleAlertLines(50, 6)], lines.slice(0, 50));
});

corpus('no line repeats, and ~900 bytes a line on average', () => {
  assert.is(new Set(lines).size, COUNT);
  const mean = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) / COUNT;
  assert.ok(mean > 800 && mean < 1000, `mean ${mean} bytes`);
});

corpus('every sample shape with a weight appears: FIM, sshd, web, Windows, nested integration data', () => {
  const ruleIds = new Set(alerts.map((a) => a.rule.id));
  for (const sample of sampleAlerts()) {
    const id = (sample as { rule: { id: string } }).rule.id;
    assert.ok(ruleIds.has(id), `rule ${id} missing`);
  }
});

corpus('levels spread: nothing reaches 16, a few alerts (0.2–2%) reach 13', () => {
  const levels = alerts.map((a) => a.rule.level);
  assert.is(Math.max(...levels), SAMPLES_MAX_LEVEL);
  const critical = levels.filter((l) => l >= 13).length / COUNT;
  assert.ok(critical > 0.002 && critical < 0.02, `${critical}`);
  assert.ok(new Set(levels).size >= 12);
});

corpus("analysisd's layout: each line starts with the timestamp then rule.level, which the prefilter reads", () => {
  for (const line of lines) assert.ok(line.startsWith('{"timestamp":"') && line.includes('","rule":{"level":'), line.slice(0, 80));
  // The prefilter decides every line by its level alone (no line makes it unsure): 16 takes none, 13 those at 13+.
  const levelOnly = (level: number) => compilePrefilter([{ level, ruleIds: undefined, group: undefined, eventLocation: undefined }], { encoding: 'text' });
  const at16 = levelOnly(16);
  const at13 = levelOnly(13);
  assert.is(lines.filter((l) => at16?.(l)).length, 0);
  assert.is(lines.filter((l) => at13?.(l)).length, alerts.filter((a) => a.rule.level >= 13).length);
});

corpus.run();
