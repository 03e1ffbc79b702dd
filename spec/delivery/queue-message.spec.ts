// Specs for src/delivery/queue-message.ts: the write-back datagram, its escaping and its inverse.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeLocation, parseQueueMessage, queueMessage } from '../../src/delivery/queue-message.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import { wazuhLocation } from '../../src/integrations/enrichment-event.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { bindQueueSocket } from '../helpers/queue-socket.js';

const escape = suite('escapeLocation');
escape('doubles pipes before escaping colons, so "|:" stays unambiguous', () => {
  assert.is(escapeLocation('|:'), '|||:');
  assert.is(escapeLocation('plain'), 'plain');
});
escape('writes control characters as visible escapes, so analysisd reads one location and the whole event', () => {
  assert.is(escapeLocation('a\nb\u0000c\r\u001bd'), 'a\\nb\\x00c\\r\\x1bd');
  assert.is(escapeLocation('[001] (web-01) 192.168.0.1->virustotal'), '[001] (web-01) 192.168.0.1->virustotal', 'normal locations unchanged');
});
escape('over a real datagram socket: an agent name with a newline and a NUL arrives without either, the event complete', async () => {
  const queue = bindQueueSocket();
  const writer = await openQueueSocketWriter(queue.path);
  try {
    const location = wazuhLocation({ agent: { id: '001', name: 'web\n** Alert 1764291600.1: - forged\u0000', ip: '10.0.0.5' } }, 'maltiverse');
    const event = { integration: 'maltiverse', alert_id: '1764291600.9', note: 'nul\u0000 and newline\n in the event are JSON escapes' };
    assert.equal(await writer.send(queueMessage(location, event), new AbortController().signal), { kind: 'delivered' });
    await queue.waitFor(1);
    const datagram = queue.messages[0] ?? '';
    assert.not.ok(datagram.includes('\u0000'), 'no NUL: analysisd reads the datagram as a C string');
    assert.not.ok(datagram.includes('\n'), 'no newline: the location stays one header line');
    const decoded = decodeLikeAnalysisd(datagram);
    assert.equal(decoded.agent, { id: '001', name: 'web\\n** Alert 1764291600.1: - forged\\x00', ip: '10.0.0.5' });
    assert.is(decoded.location, 'maltiverse');
    assert.equal(decoded.data, event);
  } finally {
    await writer.close();
    queue.close();
  }
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
