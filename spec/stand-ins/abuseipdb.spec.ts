// Specs for src/stand-ins/abuseipdb.ts (A loopback AbuseIPDB (`GET /api/v2/check`) with known addresses, its error bodies and its daily quota headers).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { REPORTED_IP, REPORTED_IPV6, startAbuseIpdbStandIn } from '../../src/stand-ins/abuseipdb.js';

const check = async (base: string, ip: string, key = 'k', maxAge = '90') => {
  const res = await request(`${base}/api/v2/check?${new URLSearchParams({ ipAddress: ip, maxAgeInDays: maxAge }).toString()}`, { headers: { key, accept: 'application/json' } });
  return { status: res.statusCode, headers: res.headers, json: (await res.body.json()) as Record<string, any> };
};

const stand = suite('startAbuseIpdbStandIn');
stand('answers {"data": …} for reported and unreported addresses (IPv6 included), with the quota headers', async () => {
  const service = await startAbuseIpdbStandIn();
  try {
    const hit = await check(service.url, REPORTED_IP);
    assert.equal([hit.status, hit.json['data']['abuseConfidenceScore'], hit.json['data']['countryCode']], [200, 100, 'CN']);
    assert.equal([hit.headers['x-ratelimit-limit'], hit.headers['x-ratelimit-remaining']], ['1000', '999']);
    assert.equal((await check(service.url, REPORTED_IPV6)).json['data']['ipVersion'], 6);
    const clean = await check(service.url, '8.8.4.4');
    assert.equal([clean.json['data']['abuseConfidenceScore'], clean.json['data']['totalReports'], clean.json['data']['lastReportedAt']], [0, 0, null]);
  } finally {
    await service.close();
  }
});
stand('refuses a wrong key with 401 and a bad address or maxAgeInDays with 422, in AbuseIPDB\'s error body', async () => {
  const service = await startAbuseIpdbStandIn({ apiKey: 'right' });
  try {
    const refused = await check(service.url, REPORTED_IP, 'wrong');
    assert.equal([refused.status, refused.json['errors'][0]['status']], [401, 401]);
    assert.match(refused.json['errors'][0]['detail'], /^Authentication failed/);
    const bad = await check(service.url, '999.1.1.1', 'right');
    assert.equal([bad.status, bad.json['errors'][0]['source']['parameter']], [422, 'ipAddress']);
    assert.is((await check(service.url, REPORTED_IP, 'right', '400')).status, 422);
  } finally {
    await service.close();
  }
});
stand('past the daily quota answers 429 with Retry-After and X-RateLimit-Reset until the window resets', async () => {
  const service = await startAbuseIpdbStandIn({ quota: { limit: 1, windowMs: 1500 } });
  try {
    assert.is((await check(service.url, REPORTED_IP)).status, 200);
    const spent = await check(service.url, REPORTED_IP);
    assert.is(spent.status, 429);
    assert.match(spent.json['errors'][0]['detail'], /^Daily rate limit of 1 requests exceeded/);
    assert.equal([spent.headers['retry-after'], spent.headers['x-ratelimit-remaining'], spent.headers['x-ratelimit-limit']], ['2', '0', '1']);
    const resetAt = Number(spent.headers['x-ratelimit-reset']) * 1000;
    assert.ok(resetAt > Date.now() && resetAt <= Date.now() + 2500, String(resetAt));
    await new Promise((resolve) => setTimeout(resolve, 1600));
    assert.is((await check(service.url, REPORTED_IP)).status, 200);
  } finally {
    await service.close();
  }
});
stand.run();
