// Specs for src/alerts/alert.ts (A parsed Wazuh alert: a JSON object as analysisd wrote it; every field may be missing or mistyped).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { alertId, field, isAlert, stringField } from '../../src/alerts/alert.js';
import { seededRandom } from '../../bench/corpus.js';

const is = suite('isAlert');
is('is true only for plain JSON objects', () => {
  assert.ok(isAlert({}));
  assert.ok(isAlert({ rule: {} }));
  assert.ok(isAlert(Object.create(null)));
  for (const v of [null, undefined, [], [{}], 'x', 1, true, () => ({})]) assert.not.ok(isAlert(v), String(v));
});
is.run();

const reading = suite('field / stringField / alertId');
const alert = { id: '1.2', rule: { level: 0, id: '5712', groups: ['sshd'], mail: false, info: null }, data: { srcip: '1.1.1.1', win: { system: { level: '4' } } } };

reading('reads nested values, including falsy ones, and undefined where the path breaks', () => {
  assert.is(field(alert, 'rule', 'level'), 0);
  assert.is(field(alert, 'rule', 'mail'), false);
  assert.is(field(alert, 'rule', 'info'), null);
  assert.equal(field(alert, 'rule', 'groups'), ['sshd']);
  assert.is(field(alert, 'data', 'win', 'system', 'level'), '4');
  assert.is(field(alert), alert, 'an empty path is the value itself');
  assert.is(field(alert, 'agent', 'id'), undefined);
  assert.is(field(alert, 'rule', 'groups', '0'), undefined, 'arrays are not walked into');
  assert.is(field(alert, 'id', 'length'), undefined, 'strings are not walked into');
  assert.is(field(alert, 'rule', 'info', 'x'), undefined, 'null is not walked into');
});

reading('stringField and alertId take strings only', () => {
  assert.is(stringField(alert, 'rule', 'id'), '5712');
  assert.is(stringField(alert, 'rule', 'level'), undefined);
  assert.is(stringField(alert, 'rule'), undefined);
  assert.is(alertId(alert), '1.2');
  assert.is(alertId({ id: 1.2 }), undefined);
  assert.is(alertId('1.2'), undefined);
});

/** A random JSON value of bounded depth, with keys drawn from the paths the specs read. */
const KEYS = ['rule', 'id', 'level', 'groups', 'data', 'srcip', '0', 'length', '__proto__', 'constructor', ''];
const randomJson = (r: () => number, depth: number): unknown => {
  const pick = Math.floor(r() * (depth > 2 ? 6 : 8));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return Math.floor(r() * 2000) - 1000;
    case 3:
      return KEYS[Math.floor(r() * KEYS.length)] ?? '';
    case 4:
    case 5:
      return r() - 0.5;
    case 6:
      return Array.from({ length: Math.floor(r() * 3) }, () => randomJson(r, depth + 1));
    default:
      return JSON.parse(JSON.stringify(Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [KEYS[Math.floor(r() * KEYS.length)] ?? '', randomJson(r, depth + 1)]))));
  }
};

reading('never throws, whatever the value and the path (2000 random JSON values and paths, and non-JSON values)', () => {
  const r = seededRandom(11);
  const values: unknown[] = [undefined, Symbol('s'), () => 1, 10n, Number.NaN, new Date(0), new Map([['rule', 1]]), Object.create(null)];
  for (let i = 0; i < 2000; i++) values.push(randomJson(r, 0));
  for (const value of values) {
    const path = Array.from({ length: Math.floor(r() * 5) }, () => KEYS[Math.floor(r() * KEYS.length)] ?? '');
    field(value, ...path);
    const s = stringField(value, ...path);
    assert.ok(s === undefined || typeof s === 'string');
    const id = alertId(value);
    assert.ok(id === undefined || typeof id === 'string');
  }
});

reading.run();
