// Specs for src/integrations/email.ts (one plain-text e-mail per alert over SMTP, against a real SMTP server on loopback).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { email, emailOptions, emailSubject } from '../../src/integrations/email.js';
import { dryRunLines } from '../../src/pipeline/dry-run.js';
import { SMTP_REPLIES, startSmtpStandIn } from '../../src/stand-ins/smtp.js';
import { SmtpClient } from '../../src/delivery/smtp.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { quietDuring } from '../helpers/capture-log.js';
import { harness } from '../helpers/pipeline-harness.js';
import { sampleAlert } from '../helpers/sample-alerts.js';

const PASSWORD = 'smtp-password-0123456789';
const OPTIONS = { from: 'wazuh@example.com', to: ['soc@example.com', 'oncall@example.com'], starttls: 'never', user: 'wazuh' };
const env = integrationEnv();
const config = (hookUrl: string, options: Record<string, unknown> = OPTIONS) => blockConfig({ name: 'email', hookUrl, apiKey: PASSWORD, options, retries: 2 });

const unit = suite('email options and message');
unit('needs from and to (string or list); starttls is require, never or opportunistic', () => {
  assert.equal(emailOptions({ from: 'a@b.c', to: 'd@e.f' }), { from: 'a@b.c', to: ['d@e.f'], starttls: 'opportunistic', user: undefined });
  assert.type(emailOptions({ to: 'd@e.f' }), 'string');
  assert.type(emailOptions({ from: 'a@b.c' }), 'string');
  assert.type(emailOptions({ from: 'a@b.c', to: ['d@e.f', 'not an address'] }), 'string');
  assert.type(emailOptions({ from: 'a@b.c', to: 'd@e.f', starttls: 'sometimes' }), 'string');
});
unit('a hook_url that is not smtp:// or smtps://, or carries user info, disables the block', () => {
  for (const url of ['https://mail.example.com', 'smtp://', 'smtp://u:p@mail.example.com:25']) {
    assert.ok(email.create(config(url), env).unavailable, url);
  }
  assert.is(email.create(config('smtps://mail.example.com'), env).unavailable, undefined);
});
unit('the subject is one line: a newline in the description cannot add a header', () => {
  const subject = emailSubject({ rule: { level: 12, description: 'x\r\nBcc: evil@example.com' }, agent: { name: 'web1' } });
  assert.is(subject, '[Wazuh] Level 12: x Bcc: evil@example.com (agent web1)');
});
unit('dry-run prints the message with the password redacted', () => {
  const c = config('smtp://mail.example.com:587');
  const [line] = dryRunLines(c, sampleAlert(4), email.create(c, env).plan(sampleAlert(4)));
  const shown = JSON.parse(line ?? '{}') as { smtp: Record<string, unknown> };
  assert.is(shown.smtp['password'], '**REDACTED**');
  assert.is(shown.smtp['user'], 'wazuh');
  assert.equal(shown.smtp['to'], ['soc@example.com', 'oncall@example.com']);
  assert.match(String(shown.smtp['subject']), /^\[Wazuh\] Level 10: sshd: brute force/);
  assert.not.match(line ?? '', PASSWORD);
});
unit.run();

const live = suite('email against a real SMTP server, through the block pipeline');
quietDuring(live);
live('delivers subject, body and headers, logged in with the password', async () => {
  const server = await startSmtpStandIn({ password: PASSWORD });
  const h = await harness();
  try {
    const c = config(server.url);
    const outcomes = await h.run(c, email.create(c, env), [sampleAlert(4)], { smtp: new SmtpClient() });
    assert.equal(outcomes.map((o) => o.kind), ['delivered']);
    const [message] = server.messages;
    assert.ok(message);
    assert.is(message.from, 'wazuh@example.com');
    assert.equal(message.to, ['soc@example.com', 'oncall@example.com']);
    assert.is(message.user, 'wazuh');
    assert.is(message.subject, '[Wazuh] Level 10: sshd: brute force trying to get access to the system. Non existent user. (agent localhost.localdomain)');
    assert.match(message.text, 'Rule: 5712 (level 10)');
    assert.match(message.text, 'May 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404');
    assert.is(message.headers['x-wazuh-alert-id'], '1652272159.1549653');
    assert.is(message.headers['x-wazuh-rule-id'], '5712');
    assert.is(message.headers['message-id'], '<wazuh-alert-1652272159.1549653@integratord>');
  } finally {
    await h.close();
    await server.close();
  }
});
live('421 and 451 answers are retried and the mail goes through; nothing is dead-lettered', async () => {
  const server = await startSmtpStandIn({ password: PASSWORD });
  const h = await harness();
  try {
    server.script(SMTP_REPLIES.closing, SMTP_REPLIES.tryLater);
    const c = config(server.url);
    const outcomes = await h.run(c, email.create(c, env), [sampleAlert(4)]);
    assert.equal(outcomes.map((o) => o.kind), ['delivered']);
    assert.is(server.count, 3);
    assert.is(server.messages.length, 1);
  } finally {
    await h.close();
    await server.close();
  }
});
live('a 550 is dead-lettered at once with the reply; a wrong password (535) too, with no secret in the reason', async () => {
  const server = await startSmtpStandIn({ password: PASSWORD });
  const h = await harness();
  try {
    server.script(SMTP_REPLIES.noMailbox);
    const c = config(server.url);
    const [outcome] = await h.run(c, email.create(c, env), [sampleAlert(4)]);
    assert.is(outcome?.kind, 'dead-lettered');
    assert.is(server.count, 1, 'no retry after a permanent 550');
    assert.match(outcome?.kind === 'dead-lettered' ? outcome.reason : '', /SMTP 550: .*No such user/);
    const wrong = blockConfig({ name: 'email', hookUrl: server.url, apiKey: 'wrong-password-xyz', options: OPTIONS, retries: 2 });
    const [denied] = await h.run(wrong, email.create(wrong, env), [sampleAlert(4)]);
    assert.is(denied?.kind, 'dead-lettered');
    const reason = denied?.kind === 'dead-lettered' ? denied.reason : '';
    assert.match(reason, /SMTP 535/);
    assert.not.match(reason, 'wrong-password-xyz');
  } finally {
    await h.close();
    await server.close();
  }
});
live('a refused connection is retried, then dead-lettered after the retries', async () => {
  const server = await startSmtpStandIn();
  const url = server.url;
  await server.close();
  const h = await harness();
  try {
    const c = config(url);
    const [outcome] = await h.run(c, email.create(c, env), [sampleAlert(4)]);
    assert.is(outcome?.kind, 'dead-lettered');
    assert.is(outcome?.kind === 'dead-lettered' ? outcome.attempts : 0, 3);
    assert.match(outcome?.kind === 'dead-lettered' ? outcome.reason : '', /SMTP connection failed/);
  } finally {
    await h.close();
  }
});
live.run();

const template = suite('email with <template> and <subject_template>');
quietDuring(template);
const at = { file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
template('the templates render the subject (one line) and the whole body; without them the mail is exactly as before', async () => {
  const server = await startSmtpStandIn({ password: PASSWORD });
  const h = await harness();
  try {
    const plain = config(server.url);
    const templated = {
      ...config(server.url),
      template: { text: 'Severity {{severity}} on {{agent.name}}\n{{full_log}}', ...at },
      subjectTemplate: { text: '{{severity}}: {{rule.description}}\r\nBcc: evil@example.com', ...at },
    };
    const outcomes = await h.run(plain, email.create(plain, env), [sampleAlert(4)], { smtp: new SmtpClient() });
    outcomes.push(...(await h.run(templated, email.create(templated, env), [sampleAlert(4)], { smtp: new SmtpClient() })));
    assert.equal(outcomes.map((o) => o.kind), ['delivered', 'delivered']);
    const [before, after] = server.messages;
    assert.is(before?.subject, emailSubject(sampleAlert(4)));
    assert.match(before?.text ?? '', 'Rule: 5712 (level 10)');
    assert.is(after?.subject, 'medium: sshd: brute force trying to get access to the system. Non existent user. Bcc: evil@example.com');
    assert.is(after?.text.trim(), 'Severity medium on localhost.localdomain\nMay 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404');
    assert.equal(after?.to, before?.to);
    assert.is(after?.headers['message-id'], before?.headers['message-id']);
    assert.is(after?.headers['bcc'], undefined, 'a newline in the subject adds no header');
  } finally {
    await h.close();
    await server.close();
  }
});
template('a subject template that does not compile disables the block with its location; email lists both tags', () => {
  const b = email.create({ ...config('smtp://mail.example.com:25'), subjectTemplate: { text: '{{#x}}', ...at } }, env);
  assert.is(b.unavailable, '<subject_template> at /etc/integratord.conf:3:21: unclosed section "x"');
  assert.equal(email.templates, ['template', 'subject_template']);
});
template.run();
