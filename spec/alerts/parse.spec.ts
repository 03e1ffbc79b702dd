// Specs for src/alerts/parse.ts (One alerts.json line to an Alert, or the reason it is not one; never throws).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateAlertLines } from '../../bench/corpus.js';
import { MAX_NESTING, parseAlertLine } from '../../src/alerts/parse.js';
import { adversarialLines } from '../helpers/adversarial-lines.js';

const parse = suite('parseAlertLine');

parse('a JSON object is an alert, surrounding whitespace (a stray \\r) included', () => {
  assert.equal(parseAlertLine(' {"rule":{"id":"1"}}\r'), { ok: true, alert: { rule: { id: '1' } } });
  for (const text of generateAlertLines(200)) assert.ok(parseAlertLine(text).ok);
});

parse('invalid JSON: reason invalid-json with the parser message', () => {
  const result = parseAlertLine('{"rule":');
  assert.is(result.ok, false);
  assert.ok(!result.ok && result.reason === 'invalid-json' && result.detail.length > 0);
});

parse('valid JSON that is not an object: reason not-an-object, saying what it was', () => {
  const cases: [string, string][] = [['[1]', 'an array'], ['null', 'null'], ['42', 'a number'], ['"x"', 'a string'], ['true', 'a boolean']];
  for (const [text, kind] of cases) {
    const result = parseAlertLine(text);
    assert.ok(!result.ok && result.reason === 'not-an-object' && result.detail.includes(kind), text);
  }
});

parse('an object nested deeper than 1000 levels is invalid-json (cJSON\'s limit): JSON.stringify could not write it back', () => {
  const nested = (depth: number) => `{"id":"x","data":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
  assert.ok(parseAlertLine(nested(MAX_NESTING)).ok, '1000 levels, the object included, are accepted');
  const deep = parseAlertLine(nested(MAX_NESTING + 1));
  assert.ok(!deep.ok && deep.reason === 'invalid-json' && deep.detail.includes('nested deeper than 1000'));
  const overflow = parseAlertLine(nested(20_000));
  assert.is(overflow.ok, false, 'deep enough to overflow JSON.stringify');
  assert.ok(parseAlertLine(`{"full_log":"${'['.repeat(5000)}"}`).ok, 'brackets inside strings do not count');
  assert.ok(parseAlertLine(`{"a":"\\\"[","b":[${Array(2000).fill('{}').join(',')}]}`).ok, 'escaped quotes do not end strings; siblings do not add up');
});

parse('never throws, and keeps the detail short, on any line', () => {
  for (const text of [...adversarialLines(400), '', '\u0000', '{'.repeat(100_000), `"${'x'.repeat(10_000)}`]) {
    const result = parseAlertLine(text);
    if (!result.ok) assert.ok(result.detail.length <= 201, result.detail);
  }
});

parse.run();
