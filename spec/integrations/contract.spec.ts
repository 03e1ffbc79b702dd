// The contract every registered integration must keep (one shared spec, like Vector's sink compliance tests).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { IntegrationConfig } from '../../src/config/integration-config.js';
import type { BlockIntegration, Integration } from '../../src/integrations/definition.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, MAX_RETRY_AFTER_MS } from '../../src/delivery/retry-after.js';
import type { HttpResponse, Step } from '../../src/delivery/step.js';
import { INTEGRATIONS } from '../../src/integrations/registry.js';
import { dryRunLines } from '../../src/pipeline/dry-run.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert, sampleAlerts } from '../helpers/sample-alerts.js';
import { writeScript } from '../helpers/scripts.js';
import { tempDir } from '../helpers/temp-dir.js';

const HOOK = 'https://hook.example.com/SECRET-HOOK-TOKEN-4242';
const KEY = 'SECRET-API-KEY-0123456789abcdef';
/** FIM alert with hashes, agent with an IP, full_log, a public source IP: every integration has something to send. */
const ALERT = { ...sampleAlert(3), data: { ...(sampleAlert(3)['data'] as object | undefined), srcip: '118.25.6.39' } };
const BARE_ALERTS = [{}, { rule: {} }, { rule: { level: 12 } }, { rule: { id: '1', groups: [] }, agent: {} }, { rule: null, location: 5, id: 7 }];

const home = await tempDir();
const paths = wazuhPaths(home.path);
await writeScript(join(home.path, 'integrations'), 'custom-contract-script', 'exit 0', 0o750);

/** What an integration needs beyond hook_url and api_key to be available (telegram: a chat; jira: a project and issue type, `email:token`). */
const BLOCK_OVERRIDES: Readonly<Record<string, Parameters<typeof blockConfig>[0]>> = {
  telegram: { options: { chat_id: -1001234567890 }, optionsText: '{"chat_id":-1001234567890}' },
  email: { hookUrl: 'smtps://smtp.example.com:465', options: { from: 'wazuh@example.com', to: 'soc@example.com' }, optionsText: '{"from":"wazuh@example.com","to":"soc@example.com"}' },
  jira: { apiKey: `soc@example.com:${KEY}`, options: { project: 'SEC', issue_type: 'Task' }, optionsText: '{"project":"SEC","issue_type":"Task"}' },
};

/** Every registered integration, and both shapes of custom-: a script and a webhook. */
const cases: { label: string; integration: Integration; config: IntegrationConfig }[] = INTEGRATIONS.flatMap((integration) => {
  const own = BLOCK_OVERRIDES[integration.name] ?? {};
  const config = (name: string) => blockConfig({ name, index: 2, hookUrl: HOOK, apiKey: KEY, options: {}, optionsText: '{}', ...own });
  if (!integration.name.endsWith('-')) return [{ label: integration.name, integration, config: config(integration.name) }];
  return [
    { label: `${integration.name}script`, integration, config: config(`${integration.name}contract-script`) },
    { label: `${integration.name}webhook`, integration, config: config(`${integration.name}contract-webhook`) },
  ];
});

const create = (c: (typeof cases)[number]): BlockIntegration => c.integration.create(c.config, { paths, debug: 0 });
/** A 2xx body each service really sends; `{}` for those that do not read it. VirusTotal must answer a report. */
const SUCCESS_BODY: Readonly<Record<string, string>> = {
  virustotal: '{"response_code": 0, "resource": "x", "verbose_msg": "not found"}',
  jira: '{"startAt": 0, "maxResults": 1, "total": 0, "issues": []}',
  abuseipdb: '{"data": {"ipAddress": "118.25.6.39", "abuseConfidenceScore": 0, "totalReports": 0}}',
  misp: '{"response": {"Attribute": []}}',
  opencti: '{"data": {"indicators": {"edges": []}, "stixCyberObservables": {"edges": []}}}',
};
const answer = (status: number, name = ''): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: status < 300 ? (SUCCESS_BODY[name] ?? '{}') : '{}',
});
const shown = (step: Step): string =>
  step.kind === 'http'
    ? JSON.stringify(step.request)
    : step.kind === 'exec'
      ? JSON.stringify([step.file, step.args('A', 'O'), step.alertFileContent, step.optionsFileContent])
      : step.kind === 'smtp'
        ? JSON.stringify([step.url, step.starttls, step.auth, step.message])
        : step.message;

const contract = suite('integration contract');

contract('the registry holds the five Wazuh integrations, teams, telegram, discord, email, thehive, jira and custom-', () => {
  for (const name of ['slack', 'pagerduty', 'shuffle', 'virustotal', 'maltiverse', 'teams', 'telegram', 'discord', 'email', 'thehive', 'jira', 'custom-']) assert.ok(INTEGRATIONS.some((i) => i.name === name), name);
});

contract('every per-integration fact hangs on the definition: the JSON-only flag and the demo stand-in with its words', () => {
  assert.equal(
    INTEGRATIONS.map((i) => [i.name, i.jsonOnlyScript, i.demo?.service, i.demo?.label]),
    [
      ['slack', true, 'slack', 'Slack'],
      ['pagerduty', true, 'pagerduty', 'PagerDuty'],
      ['shuffle', true, 'shuffle', 'Shuffle'],
      ['virustotal', true, 'virustotal', 'VirusTotal'],
      ['maltiverse', true, 'maltiverse', 'Maltiverse'],
      ['abuseipdb', false, 'abuseipdb', 'AbuseIPDB'],
      ['misp', false, 'misp', 'MISP'],
      ['opencti', false, 'opencti', 'OpenCTI'],
      ['teams', false, 'teams', 'Teams Workflows'],
      ['telegram', false, 'telegram', 'Telegram'],
      ['discord', false, 'discord', 'Discord'],
      ['email', false, 'smtp', 'an SMTP server'],
      ['thehive', false, 'thehive', 'TheHive'],
      ['jira', false, 'jira', 'Jira'],
      ['custom-', false, 'webhook', 'a webhook'],
    ],
  );
  assert.equal(
    INTEGRATIONS.filter((i) => i.ours === true).map((i) => i.name),
    ['abuseipdb', 'misp', 'opencti', 'teams', 'telegram', 'discord', 'email', 'thehive', 'jira'],
    'names Wazuh does not know are flagged as ours (check warns about them in ossec.conf)',
  );
  for (const i of INTEGRATIONS) {
    const url = i.demo?.hookUrl('http://127.0.0.1:1', `${i.name}x`) ?? '';
    assert.is(new URL(url).origin, 'http://127.0.0.1:1', `${i.name}: the demo hook_url is on the stand-in`);
  }
});

for (const c of cases) {
  contract(`${c.label}: is available with hook_url and api_key set`, () => {
    assert.is(create(c).unavailable, undefined);
  });

  contract(`${c.label}: plans are deterministic`, () => {
    const a = create(c).plan(ALERT);
    const b = create(c).plan(ALERT);
    assert.ok(a.length > 0, 'the sample alert produces at least one step');
    assert.equal(a.map(shown), b.map(shown));
    assert.equal(create(c).plan(ALERT).map(shown), a.map(shown), 'and the same block plans the same twice');
  });

  contract(`${c.label}: secrets appear only in the request, and dry-run redacts them`, () => {
    const block = create(c);
    const steps = block.plan(ALERT);
    const lines = dryRunLines(c.config, ALERT, steps).join('\n');
    assert.not.ok(lines.includes(KEY) || lines.includes('SECRET-HOOK-TOKEN'), lines);
    assert.ok(lines.includes('**REDACTED**') || !steps.some((s) => shown(s).includes(KEY) || shown(s).includes(HOOK)));
    for (const step of steps) {
      if (step.kind === 'http') {
        for (const status of [200, 400, 404, 429, 500, 503]) {
          const verdict = step.classify(answer(status));
          assert.not.ok(JSON.stringify(verdict).includes(KEY) || JSON.stringify(verdict).includes('SECRET-HOOK-TOKEN'), `verdict of ${status}`);
        }
      }
    }
    const reason = block.skip?.(ALERT);
    assert.not.ok(reason?.includes(KEY) || reason?.includes('SECRET-HOOK-TOKEN'));
    assert.is(JSON.stringify(c.config).includes(KEY), false, 'the config itself never serialises a secret');
  });

  contract(`${c.label}: every first step is checked: an HTTP answer classified (2xx delivered, 400 drop, 503 retry), a script run under Wazuh's argv contract`, () => {
    const steps = create(c).plan(ALERT);
    let checked = 0;
    for (const step of steps) {
      if (step.kind === 'http') {
        assert.is(step.classify(answer(step.request.method === 'POST' ? 202 : 200, c.integration.name)).kind, 'delivered');
        assert.is(step.classify(answer(400)).kind, 'drop');
        assert.is(step.classify(answer(503)).kind, 'retry');
        checked++;
      } else if (step.kind === 'exec') {
        assert.is(step.file, join(paths.integrations, c.config.name));
        assert.equal(step.args('ALERT_FILE', 'OPTIONS_FILE'), ['ALERT_FILE', KEY, HOOK, '', 'OPTIONS_FILE', '10', '3', '> /dev/null 2>&1']);
        assert.is(step.alertFileContent, `${JSON.stringify(ALERT)}\n`);
        assert.is(step.optionsFileContent, '{}\n');
        checked++;
      } else if (step.kind === 'smtp') {
        assert.is(step.url, c.config.hookUrl?.reveal());
        assert.ok(step.message.to.length > 0 && step.message.subject !== '' && step.message.text !== '', 'an e-mail with recipients, subject and text');
        assert.equal(step.secrets, [KEY], 'the password is a secret of the step');
        checked++;
      }
    }
    assert.ok(checked > 0, `no step of ${c.label}'s plan was checked`);
  });

  contract(`${c.label}: obeys Retry-After on 429 capped at 15 min, ignores a negative one`, () => {
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toUTCString();
    for (const step of create(c).plan(ALERT)) {
      if (step.kind !== 'http') continue;
      const after = (value: string) => {
        const verdict = step.classify({ ...answer(429), headers: { 'retry-after': value } });
        assert.is(verdict.kind, 'retry', `429 with Retry-After ${value}`);
        return verdict.kind === 'retry' ? verdict.afterMs : -1;
      };
      assert.is(after('86400'), MAX_RETRY_AFTER_MS, '"86400" (a day) waits 15 min');
      assert.is(after(inTwoDays), MAX_RETRY_AFTER_MS, 'a date in two days waits 15 min');
      assert.is(after('30'), 30_000);
      const negative = after('-5');
      assert.ok(negative === undefined || negative === DEFAULT_RATE_LIMIT_WAIT_MS, `"-5" falls back to the normal wait, got ${negative}`);
    }
  });

  contract(`${c.label}: does not crash on an alert missing every optional field, nor on any sample`, () => {
    const block = create(c);
    for (const alert of [...BARE_ALERTS, ...sampleAlerts()]) {
      if (block.skip?.(alert) !== undefined) continue;
      for (const step of block.plan(alert)) assert.type(shown(step), 'string');
    }
  });
}
contract.after(() => home.remove());
contract.run();
