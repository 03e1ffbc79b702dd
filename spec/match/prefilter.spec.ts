// Specs for src/match/prefilter.ts (Decides from the raw text of a line, without JSON.parse, that no block can take the alert).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateAlertLines } from '../../bench/corpus.js';
import { generateSampleAlertLines } from '../../bench/corpus-samples.js';
import { compileFilter, type FilterConfig } from '../../src/match/compile.js';
import { compileBatchPrefilter, compilePrefilter } from '../../src/match/prefilter.js';
import { compileSregex } from '../../src/match/sregex.js';
import { adversarialLines, MUTATION_COUNT } from '../helpers/adversarial-lines.js';

const none: FilterConfig = { level: 0, ruleIds: undefined, group: undefined, eventLocation: undefined };
const cfg = (f: Partial<FilterConfig>): FilterConfig => ({ ...none, ...f });

const CONFIGS: Record<string, readonly FilterConfig[]> = {
  'a level nothing reaches': [cfg({ level: 16 })],
  'level 10': [cfg({ level: 10 })],
  'group + rule_id': [cfg({ group: 'authentication_failures,authentication_failed', ruleIds: [5712, 5720, 5551] })],
  'sshd group only': [cfg({ group: 'sshd' })],
  'rule ids only': [cfg({ ruleIds: [550, 554, 31103] })],
  'two blocks': [cfg({ level: 12 }), cfg({ group: 'syscheck,', ruleIds: [550] })],
  'empty piece and slash group': [cfg({ group: 'a,,web/attack' })],
  'spaced group': [cfg({ group: 'web, sshd' })],
  'only zeros': [cfg({ ruleIds: [0] }), cfg({ level: 3, group: '' })],
  'level with location': [cfg({ level: 10, eventLocation: compileSregex('auth.log$') })],
  'level 1': [cfg({ level: 1 })],
  'non-ASCII group': [cfg({ group: 'café,authentification_échouée' })],
};

/** What the follower hands the prefilter: the line's bytes, one latin1 char per byte. */
const bytes = (line: string) => Buffer.from(line, 'utf8').toString('latin1');

/** Which blocks take a line: the plain path parses every line. */
const plainDecision = (filters: readonly ((a: unknown) => unknown)[], line: string): string => {
  let alert: unknown;
  try {
    alert = JSON.parse(line);
  } catch {
    return 'invalid';
  }
  return filters.map((f) => (f(alert) === null ? '1' : '0')).join('');
};

const noMatch = (n: number) => '0'.repeat(n);

const equivalence = suite('compilePrefilter: never changes a decision');
for (const [name, configs] of Object.entries(CONFIGS)) {
  equivalence(`same blocks take each line as the plain path (${name})`, () => {
    const filters = configs.map(compileFilter);
    const prefilter = compilePrefilter(configs);
    assert.ok(prefilter, 'every config here has a decidable filter');
    const lines = [...generateAlertLines(4000, 11), ...generateSampleAlertLines(2000, 11), ...adversarialLines(MUTATION_COUNT * 40)];
    let decided = 0;
    for (const line of lines) {
      const plain = plainDecision(filters, line);
      const plainTakes = plain !== 'invalid' && plain !== noMatch(filters.length);
      if (prefilter(bytes(line))) continue;
      decided++;
      assert.not.ok(plainTakes, `prefilter dropped a line that block(s) ${plain} take: ${line.slice(0, 300)}`);
    }
    assert.ok(decided > 0, 'the prefilter decided at least some lines');
  });
}
equivalence('decides the same on decoded text as on bytes', () => {
  for (const configs of Object.values(CONFIGS)) {
    const onBytes = compilePrefilter(configs) as (l: string) => boolean;
    const onText = compilePrefilter(configs, { encoding: 'text' }) as (l: string) => boolean;
    for (const line of adversarialLines(MUTATION_COUNT * 10, 99)) assert.is(onText(line), onBytes(bytes(line)), line.slice(0, 200));
  }
});
equivalence.run();

const power = suite('compilePrefilter: decides where it can');
const realistic = [...generateAlertLines(5000, 3)];
const dropRate = (configs: readonly FilterConfig[]) => {
  const p = compilePrefilter(configs);
  if (!p) return 0;
  return realistic.filter((l) => !p(bytes(l))).length / realistic.length;
};
power('drops nearly every line for a level nothing reaches (Windows alerts carry a second "level")', () => {
  assert.ok(dropRate(CONFIGS['a level nothing reaches'] as FilterConfig[]) > 0.75);
});
power('drops most lines below level 10', () => {
  const rate = dropRate([cfg({ level: 10 })]);
  assert.ok(rate > 0.45 && rate < 0.9, `rate ${rate}`);
});
power('drops lines without the rule id digits', () => {
  assert.ok(dropRate([cfg({ ruleIds: [5712] })]) > 0.8);
});
power('drops lines without the group string', () => {
  assert.ok(dropRate([cfg({ group: 'syscheck' })]) > 0.7);
});
power.run();

const undecidable = suite('compilePrefilter: gives up when it can never decide');
undecidable('returns undefined when a block has no level, group or rule_id', () => {
  assert.is(compilePrefilter([cfg({})]), undefined);
  assert.is(compilePrefilter([cfg({ level: 10 }), cfg({ eventLocation: compileSregex('x') })]), undefined);
  assert.is(compilePrefilter([]), undefined);
});
undecidable('keeps a block with many rule ids decidable only through its other filters', () => {
  const ids = Array.from({ length: 40 }, (_, i) => 1000 + i);
  assert.is(compilePrefilter([cfg({ ruleIds: ids })]), undefined);
  assert.ok(compilePrefilter([cfg({ ruleIds: ids, level: 5 })]));
});
undecidable.run();

const specific = suite('compilePrefilter: line shapes');
const level10 = compilePrefilter([cfg({ level: 10 })]) as (l: string) => boolean;
specific('reads rule.level from analysisd\'s prefix', () => {
  assert.is(level10('{"timestamp":"2026","rule":{"level":9,"id":"1"},"location":"x"}'), false);
  assert.is(level10('{"timestamp":"2026","rule":{"level":10,"id":"1"},"location":"x"}'), true);
});
specific('is unsure (parses) when the prefix differs or a later "level" key holds a number', () => {
  assert.is(level10('{"rule":{"level":9,"id":"1"},"timestamp":"2026"}'), true);
  assert.is(level10('{"timestamp":"2026","rule":{"level":9,"id":"1"},"data":{"level":12}}'), true);
  assert.is(level10('{"timestamp":"2026","rule":{"level":9,"id":"1"},"rule":{"level" :12}}'), true);
});
specific('stays decidable when later "level" keys cannot hold a number (Windows data.win.system.level)', () => {
  assert.is(level10('{"timestamp":"2026","rule":{"level":9,"id":"1"},"data":{"win":{"system":{"level":"4"}}}}'), false);
  assert.is(level10('{"timestamp":"2026","rule":{"level":9,"groups":["level"]},"data":{"level":null}}'), false);
});
specific('drops a line with no "level" key at all', () => {
  assert.is(level10('{"timestamp":"2026","rule":{"id":"1"},"location":"x"}'), false);
});
specific('is unsure about any line with a \\u escape', () => {
  assert.is(level10('{"timestamp":"2026","rule":{"id":"1","\\u006cevel":12}}'), true);
});
specific('finds a non-ASCII group through its UTF-8 bytes', () => {
  const p = compilePrefilter([cfg({ group: 'café' })]) as (l: string) => boolean;
  assert.is(p(bytes('{"rule":{"groups":["café"]}}')), true);
  assert.is(p(bytes('{"rule":{"groups":["cafe"]}}')), false);
});
specific('takes decoded text with { encoding: "text" }', () => {
  const p = compilePrefilter([cfg({ group: 'café' })], { encoding: 'text' }) as (l: string) => boolean;
  assert.is(p('{"rule":{"groups":["café"]}}'), true);
  assert.is(p('{"rule":{"groups":["cafe"]}}'), false);
});
specific.run();

const batched = suite('compileBatchPrefilter: many lines of one text');
batched('decides each line of a chunk as the one-line prefilter does, per filter group', () => {
  for (const [name, configs] of Object.entries(CONFIGS)) {
    const lines = [...generateAlertLines(500, 5), ...adversarialLines(MUTATION_COUNT * 10, 7)].map(bytes);
    const text = lines.join('\n');
    const batch = compileBatchPrefilter(configs);
    const single = configs.map((c) => compilePrefilter([c]));
    batch.setText(text);
    let at = 0;
    for (const line of lines) {
      const any = batch.decide(at, at + line.length);
      configs.forEach((_, block) => {
        const group = batch.groupOf[block] as number;
        const alone = single[block];
        if (alone === undefined) return assert.is(group, -1, name);
        assert.is(batch.passed[group] === 1, alone(line), `${name}, block ${block}: ${line.slice(0, 200)}`);
      });
      const anyAlone = single.some((p) => p === undefined || p(line));
      assert.is(any, anyAlone, `${name}: ${line.slice(0, 200)}`);
      at += line.length + 1;
    }
  }
});
batched('blocks with the same filters share one group: a hundred of them cost one test per line', () => {
  const configs = [...Array.from({ length: 100 }, () => cfg({ level: 13 })), cfg({ group: 'sshd' }), cfg({ eventLocation: compileSregex('x') })];
  const batch = compileBatchPrefilter(configs);
  assert.is(batch.passed.length, 2);
  assert.equal(new Set(batch.groupOf.slice(0, 100)), new Set([0]));
  assert.is(batch.groupOf[100], 1);
  assert.is(batch.groupOf[101], -1, 'a block the prefilter cannot decide parses every line');
});
batched('a needle found in a later line does not count for an earlier one', () => {
  const batch = compileBatchPrefilter([cfg({ ruleIds: [5712] })]);
  const first = bytes('{"timestamp":"2026-11-01T00:00:00.000+0000","rule":{"level":3,"id":"1002"}}');
  const second = bytes('{"timestamp":"2026-11-01T00:00:00.000+0000","rule":{"level":3,"id":"5712"}}');
  batch.setText(`${first}\n${second}`);
  assert.not.ok(batch.decide(0, first.length));
  assert.ok(batch.decide(first.length + 1, first.length + 1 + second.length));
});
batched.run();
