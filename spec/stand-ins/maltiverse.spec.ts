// Specs for src/stand-ins/maltiverse.ts (A loopback Maltiverse API (sample, ip, hostname, url lookups) with known IoCs, for the demo and specs).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { MALICIOUS_IP, MALTIVERSE_FAILURES, MIMIKATZ_SAMPLE, PHISHING_HOSTNAME, PHISHING_URL, startMaltiverseStandIn } from '../../src/stand-ins/maltiverse.js';

const get = async (url: string, token = 't') => {
  const res = await request(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const text = await res.body.text();
  let json: Record<string, any> | undefined;
  try {
    json = JSON.parse(text) as Record<string, any>;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, json, text };
};

const stand = suite('startMaltiverseStandIn');
stand('answers the known IoCs of every lookup kind with blacklist entries', async () => {
  const mv = await startMaltiverseStandIn({ token: 't' });
  try {
    const ip = await get(`${mv.url}/ip/${MALICIOUS_IP}`);
    assert.equal([ip.status, ip.json?.['type'], ip.json?.['classification'], ip.json?.['blacklist'].length], [200, 'ip', 'malicious', 2]);
    assert.is((await get(`${mv.url}/hostname/${PHISHING_HOSTNAME}`)).json?.['type'], 'hostname');
    const checksum = createHash('sha256').update(PHISHING_URL).digest('hex');
    assert.is((await get(`${mv.url}/url/${checksum}`)).json?.['url'], PHISHING_URL);
    const md5 = await get(`${mv.url}/sample/md5/${MIMIKATZ_SAMPLE.md5}`);
    const sha1 = await get(`${mv.url}/sample/sha1/${MIMIKATZ_SAMPLE.sha1}`);
    assert.equal(md5.json, sha1.json);
    const refs = (md5.json?.['blacklist'] as { external_references: { source_name: string; external_id: string }[] }[]).flatMap((b) => b.external_references);
    assert.ok(refs.some((r) => r.source_name === 'mitre-attack' && r.external_id.startsWith('S')));
  } finally {
    await mv.close();
  }
});
stand('answers {} for unknown indicators and 404 for unknown routes', async () => {
  const mv = await startMaltiverseStandIn();
  try {
    assert.equal(await get(`${mv.url}/ip/8.8.8.8`), { status: 200, json: {}, text: '{}' });
    assert.is((await get(`${mv.url}/nothing/here`)).status, 404);
  } finally {
    await mv.close();
  }
});
stand('refuses a wrong token with 401 and plays failures on demand', async () => {
  const mv = await startMaltiverseStandIn({ token: 't' });
  try {
    assert.is((await get(`${mv.url}/ip/${MALICIOUS_IP}`, 'bad')).status, 401);
    mv.script(MALTIVERSE_FAILURES.rateLimit, MALTIVERSE_FAILURES.notJson);
    assert.is((await get(`${mv.url}/ip/${MALICIOUS_IP}`)).status, 429);
    const garbled = await get(`${mv.url}/ip/${MALICIOUS_IP}`);
    assert.equal([garbled.status, garbled.json], [200, undefined]);
    assert.is((await get(`${mv.url}/ip/${MALICIOUS_IP}`)).json?.['ip_addr'], MALICIOUS_IP);
  } finally {
    await mv.close();
  }
});
stand.run();
