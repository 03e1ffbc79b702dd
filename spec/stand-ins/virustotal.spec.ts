// Specs for src/stand-ins/virustotal.ts (A loopback VirusTotal (API v2 file/report and v3 files/{id}) with known hashes, for the demo and specs).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { EICAR, EMPTY_FILE, QUEUED_MD5, startVirusTotalStandIn, VIRUSTOTAL_FAILURES } from '../../src/stand-ins/virustotal.js';

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await request(url, { headers });
  const text = await res.body.text();
  return { status: res.statusCode, json: text === '' ? undefined : (JSON.parse(text) as Record<string, any>) };
};

const stand = suite('startVirusTotalStandIn');
stand('answers v2 reports for known hashes of any kind, response_code 0 for unknown, -2 for the queued md5', async () => {
  const vt = await startVirusTotalStandIn({ apiKey: 'k' });
  try {
    const eicar = await get(`${vt.url}/vtapi/v2/file/report?apikey=k&resource=${EICAR.sha1}`);
    assert.is(eicar.status, 200);
    assert.equal([eicar.json?.['response_code'], eicar.json?.['positives'], eicar.json?.['total'], eicar.json?.['scan_date']], [1, 66, 68, '2022-11-17 17:15:04']);
    assert.is(eicar.json?.['permalink'], `https://www.virustotal.com/gui/file/${EICAR.sha256}/detection/f-${EICAR.sha256}-1668705304`);
    const clean = await get(`${vt.url}/vtapi/v2/file/report?apikey=k&resource=${EMPTY_FILE.md5.toUpperCase()}`);
    assert.is(clean.json?.['positives'], 0);
    assert.is((await get(`${vt.url}/vtapi/v2/file/report?apikey=k&resource=${'c'.repeat(32)}`)).json?.['response_code'], 0);
    assert.is((await get(`${vt.url}/vtapi/v2/file/report?apikey=k&resource=${QUEUED_MD5}`)).json?.['response_code'], -2);
  } finally {
    await vt.close();
  }
});
stand('answers v3 file objects, 404 NotFoundError for unknown hashes', async () => {
  const vt = await startVirusTotalStandIn({ apiKey: 'k' });
  try {
    const eicar = await get(`${vt.url}/api/v3/files/${EICAR.md5}`, { 'x-apikey': 'k' });
    assert.is(eicar.status, 200);
    assert.is(eicar.json?.['data']['id'], EICAR.sha256);
    assert.is(eicar.json?.['data']['attributes']['last_analysis_stats']['malicious'], 66);
    const unknown = await get(`${vt.url}/api/v3/files/${'d'.repeat(64)}`, { 'x-apikey': 'k' });
    assert.is(unknown.status, 404);
    assert.is(unknown.json?.['error']['code'], 'NotFoundError');
  } finally {
    await vt.close();
  }
});
stand('refuses a wrong key: 403 without body on v2, 401 WrongCredentialsError on v3', async () => {
  const vt = await startVirusTotalStandIn({ apiKey: 'k' });
  try {
    assert.equal(await get(`${vt.url}/vtapi/v2/file/report?apikey=bad&resource=${EICAR.md5}`), { status: 403, json: undefined });
    const v3 = await get(`${vt.url}/api/v3/files/${EICAR.md5}`, { 'x-apikey': 'bad' });
    assert.is(v3.status, 401);
    assert.is(v3.json?.['error']['code'], 'WrongCredentialsError');
  } finally {
    await vt.close();
  }
});
stand('plays 204, 429 and 500 on demand, then answers normally', async () => {
  const vt = await startVirusTotalStandIn();
  try {
    vt.script(VIRUSTOTAL_FAILURES.rateLimitV2, VIRUSTOTAL_FAILURES.rateLimit, VIRUSTOTAL_FAILURES.serverError);
    const url = `${vt.url}/vtapi/v2/file/report?apikey=any&resource=${EICAR.md5}`;
    assert.equal((await get(url)).status, 204);
    assert.equal((await get(url)).json?.['error']['code'], 'QuotaExceededError');
    assert.equal((await get(url)).status, 500);
    assert.equal((await get(url)).json?.['positives'], 66);
  } finally {
    await vt.close();
  }
});
stand.run();
