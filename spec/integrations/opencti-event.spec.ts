// Specs for src/integrations/opencti-event.ts (the `opencti` events custom-opencti.py writes back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_EVENT_JSON_CHARS, MAX_EVENT_STRING_CHARS, MAX_INDICATOR_EVENTS, openCtiEvents, openCtiSource, removeEmpties, sortIndicators, withSource } from '../../src/integrations/opencti-event.js';

const NOW = Date.parse('2026-12-08T00:00:00Z');
const ind = (id: string, over: Record<string, unknown> = {}) => ({ id, name: `ind ${id}`, pattern: `[ipv4-addr:value = '${id}']`, revoked: false, x_opencti_detection: true, x_opencti_score: 50, confidence: 50, valid_until: '2027-01-01T00:00:00.000Z', objectLabel: [], killChainPhases: [], ...over });
const page = (nodes: unknown[]) => ({ edges: nodes.map((node) => ({ node })) });
const target = { key: 'value' as const, values: ['1.1.1.1'], patterns: ["[ipv4-addr:value = '1.1.1.1']"] };

const test = suite('opencti events');
test('remove_empties drops null, empty strings, 0, empty lists and objects, keeps false; long strings are cut', () => {
  assert.equal(removeEmpties({ a: null, b: '', c: 0, d: [], e: {}, f: false, g: { h: [null, '', 1] }, i: 0.0 }), { f: false, g: { h: [1] } });
  assert.is((removeEmpties('x'.repeat(MAX_EVENT_STRING_CHARS + 50)) as string).length, MAX_EVENT_STRING_CHARS);
});
test('indicators sort: not revoked, detection, score, confidence, not expired', () => {
  const order = sortIndicators([ind('revoked', { revoked: true, x_opencti_score: 100 }), ind('nodetect', { x_opencti_detection: false }), ind('low', { x_opencti_score: 10 }), ind('expired', { valid_until: '2020-01-01T00:00:00.000Z' }), ind('best', { x_opencti_score: 90 }), ind('conf', { confidence: 90 })], NOW);
  assert.equal(order.map((i) => i['id']), ['best', 'conf', 'expired', 'low', 'nodetect', 'revoked']);
});
test('a pattern among those sent is a pattern match, a larger one a partial match; at most 3 indicator events', () => {
  const exact = ind('1.1.1.1', { pattern: "[ipv4-addr:value = '1.1.1.1']", x_opencti_score: 90 });
  const partial = ind('p', { pattern: "[ipv4-addr:value = '1.1.1.1'] OR [ipv4-addr:value = '2.2.2.2']" });
  const events = openCtiEvents({ indicators: page([partial, exact, ind('x'), ind('y')]), stixCyberObservables: page([]) }, target, 'https://cti/', NOW);
  assert.is(events.length, MAX_INDICATOR_EVENTS);
  assert.equal(events.slice(0, 2).map((e) => [e.opencti['event_type'], (e.opencti['indicator'] as { id: string }).id]), [['indicator_pattern_match', '1.1.1.1'], ['indicator_partial_pattern_match', 'p']]);
  assert.is(events[0]?.opencti['indicator_link'], 'https://cti/dashboard/observations/indicators/1.1.1.1');
  assert.is(events[0]?.opencti['query_values'], "[ipv4-addr:value = '1.1.1.1']");
});
test('observables: indicators already found directly are left out; none left → no event; objectLabel edges become labels', () => {
  const direct = ind('d');
  const obs = (id: string, indicators: unknown[]) => ({ id, type: 'IPv4-Addr', observable_value: '1.1.1.1', objectLabel: { edges: [{ node: { value: 'scanner' } }] }, externalReferences: { edges: [] }, indicators: page(indicators), stixCoreRelationships: page([]) });
  const events = openCtiEvents({ indicators: page([direct]), stixCyberObservables: page([obs('o1', [direct]), obs('o2', [direct, ind('own', { x_opencti_score: 70 }), ind('own2')])]) }, target, 'https://cti/', NOW);
  assert.equal(events.map((e) => e.opencti['event_type'] ?? e.opencti['id']), ['indicator_partial_pattern_match', 'observable_with_indicator']);
  const o2 = events[1]?.opencti ?? {};
  assert.equal([o2['id'], o2['labels'], (o2['indicator'] as { id: string }).id, o2['multipleIndicators'], o2['query_values']], ['o2', ['scanner'], 'own', true, '1.1.1.1']);
  assert.not.ok('indicators' in o2 || 'stixCoreRelationships' in o2 || 'objectLabel' in o2);
});
test('source: alert and rule ids, FIM file and hashes, network fields, Sysmon DNS, IDS alert, audit command; appended last', () => {
  const alert = {
    id: '1.2', rule: { id: '86601' },
    syscheck: { path: '/bin/x', md5_after: 'm', sha1_after: 's1', sha256_after: 's2' },
    data: { srcip: '1.1.1.1', dest_port: 443, proto: 'TCP', other: 'no', alert: { signature: 'ET X', signature_id: 7, severity: 2 }, win: { eventdata: { queryName: 'q', image: 'i.exe', user: 'no' } }, audit: { execve: { a1: '-c', a0: 'sh' }, exe: '/bin/sh', uid: '0', cwd: 'no' } },
  };
  assert.equal(openCtiSource(alert), { alert_id: '1.2', rule_id: '86601', file: '/bin/x', md5: 'm', sha1: 's1', sha256: 's2', srcip: '1.1.1.1', dest_port: 443, proto: 'TCP', alert: { signature: 'ET X', signature_id: 7 }, queryName: 'q', image: 'i.exe', execve: 'sh -c', uid: '0', exe: '/bin/sh' });
  const dns = { id: '3', rule: { id: '1' }, data: { method: 'QUERY', dns: { question: { name: 'n.example' }, answers: [{ data: '1.1.1.1' }, { data: 'c.example' }] } } };
  assert.equal(openCtiSource(dns), { alert_id: '3', rule_id: '1', queryName: 'n.example', queryResults: '1.1.1.1;c.example' });
  const event = withSource({ integration: 'opencti', opencti: { event_type: 'x', empty: '' } }, { id: '9', rule: { id: '2' } });
  assert.equal(Object.keys(event.opencti), ['event_type', 'source']);
});
test('an event too large for a datagram is cut harder (strings 128, lists 4) instead of failing at the socket', () => {
  const big = { integration: 'opencti', opencti: { event_type: 'observable_with_indicator', labels: Array.from({ length: 40 }, (_, i) => `${i}${'l'.repeat(1500)}`), externalReferences: Array.from({ length: 40 }, (_, i) => `https://r.example/${i}/${'r'.repeat(1500)}`), observable_value: 'v' } };
  const event = withSource(big, { id: '1', rule: { id: '2' } });
  assert.ok(JSON.stringify(event).length < MAX_EVENT_JSON_CHARS, String(JSON.stringify(event).length));
  assert.equal([(event.opencti['labels'] as string[]).length, (event.opencti['labels'] as string[])[0]?.length, event.opencti['observable_value']], [4, 128, 'v']);
  const small = withSource({ integration: 'opencti', opencti: { labels: ['a', 'b', 'c', 'd', 'e'] } }, { id: '1', rule: { id: '2' } });
  assert.equal(small.opencti['labels'], ['a', 'b', 'c', 'd', 'e'], 'an event that fits is left whole');
});
test.run();
