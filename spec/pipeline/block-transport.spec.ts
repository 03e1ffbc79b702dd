// Specs for src/pipeline/block-transport.ts (a block's <proxy>, <ca_file> and <headers> applied to every HTTP request it plans).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret } from '../../src/config/secret.js';
import type { HttpStep, Step } from '../../src/delivery/step.js';
import { classifyHttp } from '../../src/delivery/classify-http.js';
import { blockTransport, withBlockTransport } from '../../src/pipeline/block-transport.js';
import { startupDecision } from '../../src/pipeline/startup-check.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { privateCa } from '../helpers/private-ca.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const http = (headers: Record<string, string>, after?: Step[]): HttpStep => ({
  kind: 'http',
  request: { method: 'POST', url: 'https://svc.example/x', headers },
  secrets: ['k'],
  classify: classifyHttp,
  ...(after === undefined ? {} : { after: () => after }),
});

const transport = suite('blockTransport');
transport('is empty without settings, reads the CA file, and names an unreadable or non-PEM one', async () => {
  assert.equal(blockTransport(blockConfig()), {});
  const ca = await privateCa();
  const { dir, remove } = tempDirSync('ca-file');
  try {
    const t = blockTransport(blockConfig({ caFile: ca.caFile, proxy: new Secret('http://p:3128') }));
    assert.equal('transport' in t ? t.transport : undefined, { proxy: 'http://p:3128', ca: { file: ca.caFile, pem: ca.caPem } });
    const missing = join(dir, 'none.pem');
    assert.equal(blockTransport(blockConfig({ caFile: missing })), { problem: `cannot read <ca_file> ${missing} (ENOENT)` });
    writeFileSync(join(dir, 'bad.pem'), 'not a certificate');
    assert.equal(blockTransport(blockConfig({ caFile: join(dir, 'bad.pem') })), { problem: `<ca_file> ${join(dir, 'bad.pem')} holds no PEM certificate` });
  } finally {
    remove();
    ca.remove();
  }
});

const wrap = suite('withBlockTransport');
wrap('adds <headers> (the integration keeps its own), the transport and the header values as secrets, follow-ups included', () => {
  const followUp = http({ 'content-type': 'application/json' });
  const block = withBlockTransport({ plan: () => [http({ 'Content-Type': 'application/json' }, [followUp]), { kind: 'queue', message: 'm' }] }, { proxy: 'http://p:1' }, {
    'X-Tenant': 'soc',
    'content-type': 'text/evil',
  });
  const [first, queue] = block.plan(sampleAlert(1));
  assert.ok(first?.kind === 'http');
  assert.equal(first.request.headers, { 'Content-Type': 'application/json', 'X-Tenant': 'soc' });
  assert.equal(first.request.transport, { proxy: 'http://p:1' });
  assert.equal(first.secrets, ['k', 'soc', 'text/evil']);
  assert.equal(queue, { kind: 'queue', message: 'm' });
  const [next] = first.after?.({ status: 200, headers: {}, body: '' }) ?? [];
  assert.ok(next?.kind === 'http');
  assert.equal(next.request.transport, { proxy: 'http://p:1' });
  assert.equal(next.request.headers['X-Tenant'], 'soc');
});
wrap('returns the block itself without settings', () => {
  const block = { plan: () => [] };
  assert.is(withBlockTransport(block, undefined, undefined), block);
});

const startup = suite('startupDecision with transport settings');
startup('every planned request of a block carries its proxy and headers; a bad <ca_file> disables the block', () => {
  const paths = wazuhPaths('/var/ossec');
  const config = blockConfig({ name: 'slack', hookUrl: 'https://hooks.slack.com/services/T/B/X', proxy: new Secret('http://p:3128'), headers: { 'X-Tenant': 'soc' } });
  const decision = startupDecision(config, paths);
  assert.ok(decision.enabled);
  const [step] = decision.block.plan(sampleAlert(4));
  assert.ok(step?.kind === 'http');
  assert.equal([step.request.transport, step.request.headers['X-Tenant']], [{ proxy: 'http://p:3128' }, 'soc']);
  const bad = startupDecision({ ...config, caFile: '/nonexistent/ca.pem' }, paths);
  assert.ok(!bad.enabled);
  assert.match(bad.reason, "Unable to enable integration for: 'slack'. cannot read <ca_file> /nonexistent/ca.pem (ENOENT)");
});
startup('a template the integration does not use is warned as ignored', () => {
  const config = blockConfig({ name: 'pagerduty', apiKey: 'k', template: { text: 'x', file: '/f', at: { line: 1, column: 1 } } });
  const decision = startupDecision(config, wazuhPaths('/var/ossec'));
  assert.ok(decision.enabled);
  assert.ok(decision.warnings.includes('<template> is not used by pagerduty: its payload stays as it is'), decision.warnings.join('\n'));
});

transport.run();
wrap.run();
startup.run();
