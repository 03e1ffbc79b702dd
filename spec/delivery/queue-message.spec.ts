// Specs for src/delivery/queue-message.ts: the write-back datagram, its escaping and its inverse.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeLocation, parseQueueMessage, queueMessage } from '../../src/delivery/queue-message.js';

const escape = suite('escapeLocation');
escape('doubles pipes before escaping colons, so "|:" stays unambiguous', () => {
  assert.is(escapeLocation('|:'), '|||:');
  assert.is(escapeLocation('plain'), 'plain');
});
escape.run();

const message = suite('queueMessage');
message('is 1:<location>:<python json> (Wazuh test: 1:maltiverse:"msg")', () => {
  assert.is(queueMessage('maltiverse', 'msg'), '1:maltiverse:"msg"');
  assert.is(queueMessage('[001] (Agent1) 192.168.0.1->maltiverse', 'msg'), '1:[001] (Agent1) 192.168.0.1->maltiverse:"msg"');
  assert.is(queueMessage('virustotal', { virustotal: { error: 403 }, integration: 'virustotal' }), '1:virustotal:{"virustotal": {"error": 403}, "integration": "virustotal"}');
});
message.run();

const parse = suite('parseQueueMessage');
parse('takes a message apart, unescaping the location', () => {
  const loc = escapeLocation('[003] (a|b:c) fe80::1->virustotal');
  assert.equal(parseQueueMessage(queueMessage(loc, { a: 'x:y' })), { queue: '1', location: '[003] (a|b:c) fe80::1->virustotal', event: { a: 'x:y' } });
  assert.equal(parseQueueMessage('1:virustotal:{"found": 0}'), { queue: '1', location: 'virustotal', event: { found: 0 } });
});
parse('returns undefined for text that is not a write-back message', () => {
  assert.is(parseQueueMessage('no colon'), undefined);
  assert.is(parseQueueMessage(':x:{}'), undefined);
  assert.is(parseQueueMessage('1:location-without-json'), undefined);
  assert.is(parseQueueMessage('1:virustotal:{not json'), undefined);
});
parse.run();
