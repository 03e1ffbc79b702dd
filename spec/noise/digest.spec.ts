// Specs for src/noise/digest.ts (a digest of held alerts and its webhook/Shuffle and custom-script forms).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { digestAlert, digestBody, digestOf, MAX_DIGEST_IDS, topValues } from '../../src/noise/digest.js';

const alert = (i: number, agent = 'web-01', srcip = '10.0.0.1') => ({
  id: `A${i}`,
  timestamp: `2026-11-27T10:00:${String(i % 60).padStart(2, '0')}.000+0000`,
  rule: { id: '5710', description: 'sshd: attempt to login using a non-existent user' },
  agent: { name: agent },
  data: { srcip },
  full_log: `line ${i}`,
});
const batch = (n: number) => ({ reason: 'group' as const, key: '["5710"]', group: { 'rule.id': '5710' }, held: Array.from({ length: n }, (_, i) => ({ seq: i, alert: alert(i, i % 3 === 0 ? 'db-01' : 'web-01') })) });

const forms = suite('digest forms');
forms('the webhook/Shuffle body: group, count, first and last timestamp, every alert id, the first alert', () => {
  assert.equal(digestBody(digestOf(batch(3))), {
    digest: {
      group: { 'rule.id': '5710' },
      count: 3,
      first_timestamp: '2026-11-27T10:00:00.000+0000',
      last_timestamp: '2026-11-27T10:00:02.000+0000',
      alert_ids: ['A0', 'A1', 'A2'],
      alert: alert(0, 'db-01'),
    },
  });
});
forms('lists at most 1,000 ids; the count says how many there were', () => {
  const digest = digestOf(batch(1005));
  assert.is(digest.count, 1005);
  assert.is(digest.alertIds.length, MAX_DIGEST_IDS);
  assert.is(digest.alertIds.at(-1), 'A999');
});
forms('the custom-script form is the first alert (rule, agent, full_log kept) plus integratord_digest', () => {
  const shaped = digestAlert(digestOf(batch(2)));
  assert.is(shaped['full_log'], 'line 0');
  assert.equal(shaped['rule'], alert(0).rule);
  assert.equal(shaped['integratord_digest'], { group: { 'rule.id': '5710' }, count: 2, first_timestamp: '2026-11-27T10:00:00.000+0000', last_timestamp: '2026-11-27T10:00:01.000+0000', alert_ids: ['A0', 'A1'] });
});
forms('top values count a dotted field among the held alerts, most frequent first', () => {
  assert.equal(topValues(digestOf(batch(6)), ['agent', 'name']), [
    { value: 'web-01', count: 4 },
    { value: 'db-01', count: 2 },
  ]);
});
forms.run();
