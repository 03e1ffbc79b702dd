// Specs for src/stand-ins/pagerduty.ts (A PagerDuty Events API v2 stand-in: 202 with a dedup_key, 400 for invalid events, 429 on demand).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { pagerDutyErrors, startPagerDutyStandIn } from '../../src/stand-ins/pagerduty.js';

const event = { routing_key: 'k', event_action: 'trigger', dedup_key: 'd1', payload: { summary: 's', source: 'h', severity: 'error' } };

const errors = suite('pagerDutyErrors');
errors('accepts a valid trigger event', () => {
  assert.equal(pagerDutyErrors(event), []);
});
errors('names every missing or invalid field', () => {
  assert.equal(pagerDutyErrors({ event_action: 'trigger', payload: { summary: '', source: 'h', severity: 'fatal' } }), [
    "'routing_key' is missing or blank",
    "'payload.summary' is missing or blank",
    "'payload.severity' is missing or invalid",
  ]);
  assert.equal(pagerDutyErrors('x'), ['Event object is not JSON']);
});
errors.run();

const server = suite('startPagerDutyStandIn');
server('answers 202 with the dedup_key, 400 with errors, 404 elsewhere', async () => {
  const s = await startPagerDutyStandIn();
  try {
    const ok = await request(`${s.url}/v2/enqueue`, { method: 'POST', body: JSON.stringify(event) });
    assert.is(ok.statusCode, 202);
    assert.equal(await ok.body.json(), { status: 'success', message: 'Event processed', dedup_key: 'd1' });
    const bad = await request(`${s.url}/v2/enqueue`, { method: 'POST', body: '{}' });
    assert.is(bad.statusCode, 400);
    assert.is(((await bad.body.json()) as { status: string }).status, 'invalid event');
    const other = await request(`${s.url}/v1/x`, { method: 'POST', body: '{}' });
    assert.is(other.statusCode, 404);
    await other.body.dump();
  } finally {
    await s.close();
  }
});
server('generates a dedup_key when the event has none', async () => {
  const s = await startPagerDutyStandIn();
  try {
    const { dedup_key: _, ...rest } = event;
    const res = await request(`${s.url}/v2/enqueue`, { method: 'POST', body: JSON.stringify(rest) });
    assert.match(((await res.body.json()) as { dedup_key: string }).dedup_key, /^[0-9a-f]{32}$/);
  } finally {
    await s.close();
  }
});
server.run();
