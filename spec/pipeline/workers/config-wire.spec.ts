// Specs for src/pipeline/workers/config-wire.ts (a block's config across a thread boundary and back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../../src/config/load.js';
import { fromWire, toWire } from '../../../src/pipeline/workers/config-wire.js';

const wire = suite('toWire / fromWire');

wire('survives a structured clone: secrets and the event_location pattern work again on the other side, everything else equal', () => {
  const [config] = loadConfigText(
    '<ossec_config><integration><name>custom-x</name><hook_url>http://127.0.0.1:9/hooks/s3cretPATH</hook_url><api_key>key-abcdef</api_key><level>7</level><rule_id>5710,5712</rule_id><event_location>^/var/log|!nothing</event_location><alert_format>json</alert_format></integration></ossec_config>',
  ).integrations;
  if (config === undefined) throw new Error('no block');
  const back = fromWire(structuredClone(toWire(config)));
  assert.is(back.hookUrl?.reveal(), 'http://127.0.0.1:9/hooks/s3cretPATH');
  assert.is(back.apiKey?.reveal(), 'key-abcdef');
  assert.is(String(back.apiKey), '**REDACTED**');
  assert.is(back.eventLocation?.pattern, config.eventLocation?.pattern);
  assert.is(back.eventLocation?.test('/var/log/auth.log'), config.eventLocation?.test('/var/log/auth.log'));
  assert.is(back.eventLocation?.test('/srv/app.log'), config.eventLocation?.test('/srv/app.log'));
  const { hookUrl: _h, apiKey: _a, eventLocation: _e, ...rest } = back;
  const { hookUrl: _h2, apiKey: _a2, eventLocation: _e2, ...original } = config;
  assert.equal(rest, original);
});

wire.run();
