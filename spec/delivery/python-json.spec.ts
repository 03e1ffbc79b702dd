// Specs for src/delivery/python-json.ts (JSON text exactly as Python's json.dumps(value) writes it with its defaults (what Wazuh's scripts send)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { pythonJson, pythonNumber, pythonString } from '../../src/delivery/python-json.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { pythonDumps } from '../helpers/python.js';

/** A small deterministic PRNG (mulberry32): the same corpus on every run. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const random = prng(20240514);
const randomUnit = (): number => {
  // Mostly the interesting ranges: controls, ASCII, Latin-1, BMP, surrogates.
  const r = random();
  if (r < 0.2) return Math.floor(random() * 0x20);
  if (r < 0.5) return 0x20 + Math.floor(random() * 0x60);
  if (r < 0.6) return 0x7f + Math.floor(random() * 0x81);
  if (r < 0.8) return 0x100 + Math.floor(random() * 0xd700);
  if (r < 0.9) return 0xd800 + Math.floor(random() * 0x800);
  return 0xe000 + Math.floor(random() * 0x2000);
};
const randomString = (): string => String.fromCharCode(...Array.from({ length: Math.floor(random() * 24) }, randomUnit));

const strings = suite('pythonString');
strings('escapes every control character, DEL and non-ASCII exactly like json.dumps', () => {
  const all = Array.from({ length: 0x800 }, (_, i) => String.fromCharCode(i));
  const samples = [...all, all.join(''), 'é', 'Ω', '😀', 'a😀b', '\ud800', '\udfff', 'x\ud83dy', '/', "'", '`'];
  const expected = pythonDumps(samples);
  samples.forEach((s, i) => assert.is(pythonString(s), expected[i], `code units ${[...s].map((c) => c.charCodeAt(0).toString(16)).join(' ')}`));
});
strings('matches json.dumps on 500 random strings across the whole UTF-16 range', () => {
  const samples = Array.from({ length: 500 }, randomString);
  const expected = pythonDumps(samples);
  samples.forEach((s, i) => assert.is(pythonString(s), expected[i]));
});
strings('writes astral characters as lowercase surrogate pairs', () => {
  assert.is(pythonString('😀'), '"\\ud83d\\ude00"');
  assert.is(pythonString('\u00ff\u0100'), '"\\u00ff\\u0100"');
});
strings.run();

const numbers = suite('pythonNumber');
numbers('prints floats like Python repr and integral numbers like Python ints', () => {
  const samples = [0, 1, -1, 42, 2 ** 53, -(2 ** 53), 1e20, 0.5, -0.5, 0.1, 1 / 3, 0.0001, 0.00012, 1e-5, 1.5e-7, -2.5e-10, 1e-300, 5e-324, 123456789.123, 1234567890123456.7, 99.99];
  const expected = pythonDumps(samples);
  samples.forEach((n, i) => assert.is(pythonNumber(n), expected[i], String(n)));
});
numbers('documents the JS limit: integral values are ints, never `1.0` or `1e+16`', () => {
  assert.is(pythonNumber(1.0), '1');
  assert.is(pythonNumber(1e16), '10000000000000000');
  assert.is(pythonNumber(1e21), '1000000000000000000000');
  assert.is(pythonNumber(-0), '0');
});
numbers('prints NaN and infinities as Python does', () => {
  assert.is(pythonNumber(NaN), 'NaN');
  assert.is(pythonNumber(Infinity), 'Infinity');
  assert.is(pythonNumber(-Infinity), '-Infinity');
});
numbers.run();

const dumps = suite('pythonJson');
dumps('matches json.dumps on nested objects, arrays, empties, booleans and null, keeping key order', () => {
  const samples: unknown[] = [
    null,
    true,
    [],
    {},
    [[], {}, [{}]],
    { virustotal: { found: 1, malicious: 0, source: { alert_id: '1.2', file: '/tmp/a b', md5: null } }, integration: 'virustotal' },
    { z: 1, a: [1, 2.5, 'x', false, null], m: { y: {}, b: [] } },
    { 'key with "quotes"': 'value\twith\ttabs', 'ünï': 'cödé' },
  ];
  const expected = pythonDumps(samples);
  samples.forEach((v, i) => assert.is(pythonJson(v), expected[i]));
});
dumps('matches json.dumps on every sample alert of the fixtures', () => {
  const alerts = readFileSync(fixturePath('wazuh-alert-samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
  const expected = pythonDumps(alerts);
  alerts.forEach((a, i) => assert.is(pythonJson(a), expected[i], `sample ${i + 1}`));
});
dumps('matches json.dumps on 200 random nested values', () => {
  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 2 || r < 0.4) return [randomString(), Math.floor(random() * 1e9) - 5e8, random() * 1000, null, true][Math.floor(random() * 5)];
    if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [`k${randomString()}`, value(depth + 1)]));
  };
  const samples = Array.from({ length: 200 }, () => value(0));
  const expected = pythonDumps(samples);
  samples.forEach((v, i) => assert.is(pythonJson(v), expected[i]));
});
dumps('leaves undefined out of objects, writes it as null in arrays and uses toJSON', () => {
  assert.is(pythonJson({ a: undefined, b: 1 }), '{"b": 1}');
  assert.is(pythonJson([undefined]), '[null]');
  assert.is(pythonJson(undefined), 'null');
  assert.is(pythonJson({ secret: { toJSON: () => '**REDACTED**' } }), '{"secret": "**REDACTED**"}');
});
dumps('throws on a circular structure but accepts a shared one', () => {
  const shared = { x: 1 };
  assert.is(pythonJson([shared, shared]), '[{"x": 1}, {"x": 1}]');
  const loop: Record<string, unknown> = {};
  loop['self'] = loop;
  assert.throws(() => pythonJson(loop), /Circular/);
});
dumps('compact: json.dumps(value, separators=(",", ":")) — no space after commas and colons, escapes unchanged', () => {
  assert.is(pythonJson({ a: [1, { b: 'é:x, y' }], c: null, d: true }, true), '{"a":[1,{"b":"\\u00e9:x, y"}],"c":null,"d":true}');
  assert.is(pythonJson({ a: [1, 2] }), '{"a": [1, 2]}', 'the default keeps Python\'s spaces');
});
dumps.run();
