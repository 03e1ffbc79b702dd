// Specs for src/demo/demo-services.ts (Starts every stand-in service the demo needs on 127.0.0.1, and stops them).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { demoUrls, startDemoServices, stopDemoServices } from '../../src/demo/demo-services.js';

const services = suite('startDemoServices / demoUrls / stopDemoServices');

services('starts every stand-in on distinct loopback ports that answer like their services, and stops them', async () => {
  const started = await startDemoServices();
  const urls = demoUrls(started);
  try {
    assert.equal(Object.keys(urls).sort(), ['abuseipdb', 'discord', 'jira', 'maltiverse', 'misp', 'opencti', 'pagerduty', 'shuffle', 'slack', 'smtp', 'teams', 'telegram', 'thehive', 'virustotal', 'webhook']);
    const all = Object.values(urls);
    assert.is(new Set(all).size, 15);
    for (const url of all) assert.match(url, /^(http|smtp):\/\/127\.0\.0\.1:\d+$/);
    assert.match(urls.smtp!, /^smtp:/);
    const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const slack = await post(`${urls.slack}/services/T/B/x`, { text: 'hi' });
    assert.equal([slack.status, await slack.text()], [200, 'ok']);
    const pd = await post(`${urls.pagerduty}/v2/enqueue`, { routing_key: 'k', event_action: 'trigger', payload: { summary: 's', source: 'h', severity: 'info' } });
    assert.is(pd.status, 202);
    assert.is((await post(`${urls.shuffle}/api/v1/hooks/webhook_x`, { a: 1 })).status, 200);
    const vt = await fetch(`${urls.virustotal}/vtapi/v2/file/report?apikey=k&resource=44d88612fea8a8f36de82e1278abb02f`);
    assert.is(((await vt.json()) as { positives: number }).positives > 0, true, 'EICAR is known');
    assert.is((await fetch(`${urls.maltiverse}/ip/1.1.1.1`)).status, 200);
    const abuse = await fetch(`${urls.abuseipdb}/api/v2/check?ipAddress=77.53.9.158&maxAgeInDays=90`, { headers: { key: 'k', accept: 'application/json' } });
    assert.is(((await abuse.json()) as { data: { abuseConfidenceScore: number } }).data.abuseConfidenceScore > 0, true, 'the sample SSH attacker is reported');
    const misp = await post(`${urls.misp}/attributes/restSearch`, { returnFormat: 'json', value: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' });
    assert.is(((await misp.json()) as { response: { Attribute: unknown[] } }).response.Attribute.length > 0, true, 'EICAR is in MISP');
    const cti = await post(`${urls.opencti}/graphql`, { query: 'query { stixCyberObservables }', variables: { obs: { filters: [{ key: 'value', values: ['185.220.101.47'] }] }, ind: { filters: [] } } });
    assert.is(((await cti.json()) as { data: { indicators: unknown } }).data.indicators !== undefined, true, 'OpenCTI answers data');
    assert.is((await post(`${urls.webhook}/custom-x`, { id: '1' })).status, 200);
    const card = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } }] };
    assert.is((await post(`${urls.teams}/workflows/x/triggers/manual/paths/invoke?sig=s`, card)).status, 202);
    assert.is((await post(`${urls.telegram}/bot1:t/sendMessage`, { chat_id: 1, text: 'hi' })).status, 200);
    assert.is((await post(`${urls.discord}/api/webhooks/1/t`, { content: 'hi' })).status, 204);
    assert.is(['slack', 'pagerduty', 'webhook'].reduce((n, s) => n + (started[s]?.count ?? 0), 0), 3);
  } finally {
    await stopDemoServices(started);
  }
  for (const url of Object.values(urls).filter((u) => u.startsWith('http:'))) {
    const error = await fetch(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error, `${url} is closed`);
  }
});

services.run();
