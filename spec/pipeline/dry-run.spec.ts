// Specs for src/pipeline/dry-run.ts (--dry-run output: the JSON line per would-be action of one alert in one block, secrets redacted).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { custom } from '../../src/integrations/custom-script.js';
import { pagerduty } from '../../src/integrations/pagerduty.js';
import { slack } from '../../src/integrations/slack.js';
import { DRY_RUN_ALERT_FILE, dryRunLines, jsonTextHoldsNoSecret, redactSecrets } from '../../src/pipeline/dry-run.js';
import type { HttpStep } from '../../src/delivery/step.js';
import { jsonPost } from '../../src/integrations/json-post.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { join } from 'node:path';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { writeScript } from '../helpers/scripts.js';
import { tempDir } from '../helpers/temp-dir.js';

const ALERT = sampleAlert(4);
const env = { paths: wazuhPaths('/var/ossec'), debug: 0 };

const lines = suite('dryRunLines');
lines('prints one request line with the body parsed and the hook URL redacted', () => {
  const config = blockConfig({ name: 'slack', index: 0, hookUrl: 'https://hooks.slack.com/services/T/B/XYZ' });
  const [line, ...rest] = dryRunLines(config, ALERT, slack.create(config, env).plan(ALERT));
  assert.is(rest.length, 0);
  const parsed = JSON.parse(line as string);
  assert.equal(Object.keys(parsed), ['block', 'integration', 'alert_id', 'request']);
  assert.equal([parsed.block, parsed.integration, parsed.alert_id], [0, 'slack', '1652272159.1549653']);
  assert.equal(parsed.request.method, 'POST');
  assert.is(parsed.request.url, '**REDACTED**');
  assert.is(parsed.request.body.attachments[0].color, 'danger');
  assert.not.ok((line as string).includes('XYZ'));
});
lines('redacts the PagerDuty routing key inside the body, shows it with showSecrets', () => {
  const config = blockConfig({ name: 'pagerduty', index: 1, apiKey: 'ROUTINGKEY123' });
  const steps = pagerduty.create(config, env).plan(ALERT);
  const hidden = JSON.parse(dryRunLines(config, ALERT, steps)[0] as string);
  assert.is(hidden.request.body.routing_key, '**REDACTED**');
  assert.is(hidden.request.url, 'https://events.pagerduty.com/v2/enqueue');
  const shown = JSON.parse(dryRunLines(config, ALERT, steps, true)[0] as string);
  assert.is(shown.request.body.routing_key, 'ROUTINGKEY123');
});
lines('prints a script run as exec with argv and the alert file content, secrets redacted', async () => {
  const home = await tempDir();
  try {
    await writeScript(join(home.path, 'integrations'), 'custom-x', 'exit 0');
    const config = blockConfig({ name: 'custom-x', index: 3, apiKey: 'KEY-0001', jsonFormat: false, alertFormat: undefined });
    const steps = custom.create(config, { paths: wazuhPaths(home.path), debug: 0 }).plan(ALERT);
    const parsed = JSON.parse(dryRunLines(config, ALERT, steps)[0] as string);
    assert.is(parsed.exec.file, join(home.path, 'integrations', 'custom-x'));
    assert.equal(parsed.exec.argv, ['integrations', DRY_RUN_ALERT_FILE, '**REDACTED**', '', '', '', '10', '3', '> /dev/null 2>&1']);
    assert.ok(parsed.exec.alert_file.startsWith("alertdate='2022-05-11T12:29:19.905+0000'\n"));
  } finally {
    await home.remove();
  }
});
lines('prints null as alert_id when the alert has none', () => {
  const config = blockConfig({ name: 'slack', hookUrl: 'https://h/x' });
  assert.is(JSON.parse(dryRunLines(config, {}, slack.create(config, env).plan({}))[0] as string).alert_id, null);
});
lines.run();

const redact = suite('redactSecrets');
redact('replaces whole values always and embedded secrets of 4+ characters', () => {
  assert.equal(redactSecrets({ a: 'k', b: ['xk', 'token=abcd!'], c: 1 }, ['k', 'abcd']), { a: '**REDACTED**', b: ['xk', 'token=**REDACTED**!'], c: 1 });
  assert.equal(redactSecrets('x', ['']), 'x');
});

/** The plain walk every value goes through when it may hold a secret: what the whole-object test must never change. */
const walkedAlways = (value: unknown, secrets: readonly string[]): unknown => {
  const list = [...new Set(secrets.filter((s) => s !== ''))].sort((a, b) => b.length - a.length);
  const text = (s: string) => (list.includes(s) ? '**REDACTED**' : list.reduce((out, k) => (k.length >= 4 ? out.split(k).join('**REDACTED**') : out), s));
  const walk = (v: unknown): unknown =>
    typeof v === 'string' ? text(v) : Array.isArray(v) ? v.map(walk) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)])) : v;
  return walk(value);
};

redact('secrets JSON escapes (quotes, backslashes, control characters, non-ASCII, surrogates) are found at any depth', () => {
  const secrets = ['to"ken\\x', 'a\nb\u0001c', 'clé-ü€', '😀pair', '\ud83d', 'abc', 'k/e/y'];
  const deep = (v: unknown, n: number): unknown => (n === 0 ? v : { d: [deep(v, n - 1)] });
  for (const secret of secrets) {
    for (const depth of [0, 1, 2, 3, 4, 6]) {
      for (const value of [secret, `pre ${secret} post`, `\\${secret}"`, `${secret}${secret}`]) {
        const input = { block: 0, request: { url: 'http://h/', body: deep({ x: value, y: 'clean', [secret]: 1 }, depth) } };
        assert.equal(redactSecrets(input, [secret, 'other-secret']), walkedAlways(input, [secret, 'other-secret']), `${JSON.stringify(secret)} at ${depth} in ${JSON.stringify(value)}`);
      }
    }
  }
});

redact('a lone surrogate in a value next to its pair, keys holding a secret, and clean objects kept as they are', () => {
  const half = '\ud83d';
  const input = { a: `x${half}\ude00y`, b: { [`key-${'abcd'}`]: 'v' }, c: { deep: { er: ['abcd'] } } };
  assert.equal(redactSecrets(input, [half, 'abcd']), walkedAlways(input, [half, 'abcd']));
  // A line's request body (depth 2) without the secret is kept as it is; the URL beside it is redacted.
  const line = { block: 0, request: { url: 'https://h/secret-token', body: { rule: { level: 3 }, full_log: 'nothing here' } } };
  const redacted = redactSecrets(line, ['secret-token']) as typeof line;
  assert.is(redacted.request.body, line.request.body);
  assert.is(redacted.request.url, 'https://h/**REDACTED**');
});
redact('a body whose text hides a secret behind \\u or \\/ escapes, or spells it in a key, is still redacted', () => {
  const config = blockConfig({ name: 'custom-x', index: 2, hookUrl: 'https://h/hook-token' });
  const step = (body: string): HttpStep => ({ kind: 'http', request: { method: 'POST', url: 'https://h/hook-token', headers: {}, body }, secrets: ['hook-token', 'ab/cd', 'clé9'], classify: () => ({ kind: 'delivered' }) as never });
  const bodies = [
    '{"a": "x \\u0068ook-token y"}', // python json.dumps style: spaces, \u escapes
    '{"a":"ab\\/cd"}',
    '{"a":["cl\\u00e99"]}',
    '{"a":{"hook-token":"key only"}}',
    '{"a":"hook-token"}',
    '{"a":"plain","b":[1,{"c":"ab/cd!"}]}',
    '{"a":"nothing to hide","n":[1,2,{"t":true}]}',
    '"hook-token as the whole body"',
    'not json hook-token',
  ];
  for (const body of bodies) {
    const [line] = dryRunLines(config, ALERT, [step(body)]);
    const parsed = JSON.parse(line as string) as { request: { url: string; body: unknown } };
    let expected: unknown;
    try {
      expected = JSON.parse(body);
    } catch {
      expected = body;
    }
    assert.equal(parsed.request.body, walkedAlways(expected, ['https://h/hook-token', 'hook-token', 'ab/cd', 'clé9']), body);
    assert.is(parsed.request.url, '**REDACTED**');
  }
});

redact('a body JSON.stringify wrote is printed as it is: the same line as parsing it and writing it again, on odd payloads', () => {
  const config = blockConfig({ name: 'custom-x', index: 1, hookUrl: 'https://h/hook-token' });
  const payloads: unknown[] = [
    JSON.parse('{"b":1,"10":2,"2":{"z":[-0,1e21,0.1,1.7976931348623157e308,5e-324]},"__proto__":{"x":1},"a":"é\\u2028\\ud800 \\"q\\" \\\\"}'),
    { when: new Date(0), skip: undefined, f: () => 1, n: NaN, nested: [undefined, { toJSON: () => 'j' }] },
    'a bare string',
    42,
    [1, 'two', { three: 3 }],
    sampleAlert(9),
    { holds: 'the https://h/hook-token inside' },
    { 'https://h/hook-token': 'as a key' },
  ];
  for (const payload of payloads) {
    for (const showSecrets of [false, true]) {
      const step = jsonPost('https://h/hook-token', payload, ['inner-secret']);
      const copied: HttpStep = { ...step, request: { ...step.request } }; // not jsonPost's request: parsed and written again
      const [spliced] = dryRunLines(config, ALERT, [step], showSecrets);
      const [parsed] = dryRunLines(config, ALERT, [copied], showSecrets);
      assert.is(spliced, parsed, JSON.stringify(payload));
      // Values are redacted (keys never were: the last payload's key stays as it is, in both paths).
      if (showSecrets) assert.ok((spliced as string).includes('https://h/hook-token'));
      else assert.is((spliced as string).includes('the https://h/hook-token inside'), false, spliced);
    }
  }
});

redact('jsonTextHoldsNoSecret: only a text with no \\u or \\/ escape and no written form of a secret', () => {
  assert.ok(jsonTextHoldsNoSecret('{"a":"b\\"c\\n"}', ['secret']));
  assert.not.ok(jsonTextHoldsNoSecret('{"a":"\\u0073ecret"}', ['secret']));
  assert.not.ok(jsonTextHoldsNoSecret('{"a":"x\\/y"}', ['secret']));
  assert.not.ok(jsonTextHoldsNoSecret('{"secret":1}', ['secret']));
  assert.not.ok(jsonTextHoldsNoSecret('{"a":"t\\"k"}', ['t"k']));
  assert.not.ok(jsonTextHoldsNoSecret('{"a":"x"}', ['\ud800']));
});
redact.run();
