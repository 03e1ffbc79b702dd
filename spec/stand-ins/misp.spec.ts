// Specs for src/stand-ins/misp.ts (a loopback MISP `POST /attributes/restSearch`).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { EICAR_SHA1, EICAR_SHA256, startMispStandIn } from '../../src/stand-ins/misp.js';

const search = async (base: string, value: unknown, key?: string, path = '/attributes/restSearch') => {
  const res = await request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { authorization: key }) }, body: JSON.stringify({ returnFormat: 'json', value }) });
  return { status: res.statusCode, headers: res.headers, json: (await res.body.json()) as Record<string, any> };
};

const stand = suite('startMispStandIn');
stand('answers every attribute with the value (two for EICAR), an empty list for an unknown value', async () => {
  const service = await startMispStandIn();
  try {
    const hit = await search(service.url, EICAR_SHA256);
    assert.equal(hit.json['response']['Attribute'].map((a: { event_id: string }) => a.event_id), ['1542', '1777']);
    assert.equal((await search(service.url, 'nothing.example')).json, { response: { Attribute: [] } });
    const sha1 = (await search(service.url, EICAR_SHA1, undefined, '/attributes/restSearch/')).json['response']['Attribute'][0];
    assert.equal([sha1.value, typeof sha1.comment, typeof sha1.uuid, typeof sha1.timestamp], [EICAR_SHA1, 'string', 'string', 'string'], 'the script\'s path with its trailing slash');
    assert.equal([sha1.Event.org_id, sha1.Event.info, sha1.Event.threat_level_id], ['1', 'OSINT event 1542', '2']);
  } finally {
    await service.close();
  }
});
stand('401 without a key, 403 with a wrong one, 429 with Retry-After past the rate limit', async () => {
  const service = await startMispStandIn({ apiKey: 'k', rateLimit: { limit: 1, windowMs: 30_000 } });
  try {
    assert.is((await search(service.url, 'x')).status, 401);
    const wrong = await search(service.url, 'x', 'other');
    assert.equal([wrong.status, wrong.json['url']], [403, '/attributes/restSearch']);
    assert.is((await search(service.url, 'x', 'k')).status, 200);
    const limited = await search(service.url, 'x', 'k');
    assert.equal([limited.status, Number(limited.headers['retry-after']) > 0], [429, true]);
  } finally {
    await service.close();
  }
});
stand.run();
