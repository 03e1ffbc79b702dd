// Specs for src/stand-ins/shuffle.ts (A Shuffle webhook stand-in: `/api/v1/hooks/<id>` starts an "execution", misbehaves on demand).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { startShuffleStandIn } from '../../src/stand-ins/shuffle.js';

const shuffle = suite('startShuffleStandIn');
shuffle('starts an execution per JSON post to a hook; refuses other paths and non-JSON', async () => {
  const s = await startShuffleStandIn();
  try {
    const ok = await request(`${s.url}/api/v1/hooks/webhook_1`, { method: 'POST', body: '{"a":1}' });
    assert.is(ok.statusCode, 200);
    const body = (await ok.body.json()) as { success: boolean; execution_id: string };
    assert.ok(body.success && body.execution_id.length > 0);
    const bad = await request(`${s.url}/api/v1/hooks/webhook_1`, { method: 'POST', body: 'x' });
    assert.is(bad.statusCode, 400);
    await bad.body.dump();
    const missing = await request(`${s.url}/hooks`, { method: 'POST', body: '{}' });
    assert.is(missing.statusCode, 404);
    await missing.body.dump();
  } finally {
    await s.close();
  }
});
shuffle('delays answers when told to', async () => {
  const s = await startShuffleStandIn({ delayMs: 30 });
  try {
    const started = Date.now();
    const res = await request(`${s.url}/api/v1/hooks/w`, { method: 'POST', body: '{}' });
    await res.body.dump();
    assert.ok(Date.now() - started >= 25);
  } finally {
    await s.close();
  }
});
shuffle.run();
