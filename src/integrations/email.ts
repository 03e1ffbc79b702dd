// E-mail: one plain-text message per alert over SMTP (smtp:// or smtps:// hook_url, api_key the password).

import { field, stringField, type Alert } from '../alerts/alert.js';
import { smtpEndpoint } from '../delivery/smtp.js';
import type { SmtpStep, StartTls } from '../delivery/step.js';
import type { StandIn } from '../stand-ins/stand-in-server.js';
import { member, pythonText, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { demoText, shortText } from './demo-text.js';
import { compileTemplate } from './message-template.js';

export interface EmailOptions {
  readonly from: string;
  readonly to: readonly string[];
  readonly starttls: StartTls;
  readonly user: string | undefined;
}

const STARTTLS: readonly StartTls[] = ['require', 'never', 'opportunistic'];
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/** One line: CR, LF and other control characters become spaces (no header can be added through alert text). */
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/**
 * `<options>{"from": "wazuh@example.com", "to": "soc@example.com" | [...], "starttls": "require" |
 * "never" | "opportunistic" (default), "user": "login" (default: from)}` — or why they are unusable.
 */
export const emailOptions = (options: Readonly<Record<string, unknown>> | undefined): EmailOptions | string => {
  const from = options?.['from'];
  const rawTo = options?.['to'];
  const to = typeof rawTo === 'string' ? [rawTo] : Array.isArray(rawTo) ? rawTo : [];
  if (typeof from !== 'string' || !ADDRESS.test(from)) return 'email needs <options> "from": an e-mail address';
  if (to.length === 0 || !to.every((a): a is string => typeof a === 'string' && ADDRESS.test(a))) return 'email needs <options> "to": an e-mail address or a list of them';
  const starttls = options?.['starttls'] ?? 'opportunistic';
  if (!STARTTLS.includes(starttls as StartTls)) return `email <options> "starttls" must be one of ${STARTTLS.join(', ')}`;
  const user = options?.['user'];
  if (user !== undefined && (typeof user !== 'string' || user === '')) return 'email <options> "user" must be a non-empty string';
  return { from, to, starttls: starttls as StartTls, user };
};

/**
 * `[Wazuh] Level 10: <description> (agent <name>)`, or the block's rendered `<subject_template>`
 * (`rendered`) — one line either way (no header can be added through it), at most 200 characters.
 */
export const emailSubject = (alert: Alert, rendered?: string): string => {
  const agent = stringField(alert, 'agent', 'name');
  const subject = oneLine(rendered ?? `[Wazuh] Level ${ruleLevel(alert)}: ${pythonText(ruleMember(alert, 'description', 'alert'))}${agent === undefined ? '' : ` (agent ${agent})`}`);
  return subject.length > 200 ? `${subject.slice(0, 199)}…` : subject;
};

/** The text body: rule, level, agent, location, time, alert id, then full_log. */
export const emailText = (alert: Alert): string =>
  [
    `Rule: ${pythonText(ruleMember(alert, 'id', 'N/A'))} (level ${ruleLevel(alert)}) ${pythonText(ruleMember(alert, 'description', 'N/A'))}`,
    `Agent: ${pythonText(field(alert, 'agent', 'id') ?? 'N/A')} - ${pythonText(field(alert, 'agent', 'name') ?? 'N/A')}`,
    `Location: ${pythonText(member(alert, 'location', 'N/A'))}`,
    `Time: ${pythonText(member(alert, 'timestamp', 'N/A'))}`,
    `Alert id: ${pythonText(member(alert, 'id', 'N/A'))}`,
    '',
    pythonText(member(alert, 'full_log', '')),
  ].join('\n');

/** Headers naming the alert; the Message-ID is the alert id, so a re-sent alert threads with (and is deduplicated as) the first. */
export const emailHeaders = (alert: Alert): Record<string, string> => {
  const id = stringField(alert, 'id');
  const rule = ruleMember(alert, 'id', undefined);
  return {
    'X-Wazuh-Level': String(ruleLevel(alert)),
    ...(rule === undefined ? {} : { 'X-Wazuh-Rule-Id': oneLine(pythonText(rule)) }),
    ...(id === undefined ? {} : { 'X-Wazuh-Alert-Id': oneLine(id), 'Message-ID': `<wazuh-alert-${id.replace(/[^A-Za-z0-9.-]/g, '_')}@integratord>` }),
  };
};

/**
 * Needs hook_url (`smtp://host:port` or `smtps://host:port`); api_key, when set, is the password.
 * `<template>` renders the whole text body, `<subject_template>` the subject.
 */
export const email: Integration = {
  name: 'email',
  requires: { hookUrl: true, apiKey: false },
  jsonOnlyScript: false,
  ours: true,
  templates: ['template', 'subject_template'],
  demo: {
    service: 'smtp',
    label: 'an SMTP server',
    // smtp-server is a development dependency: loaded only when the demo runs.
    start: async (): Promise<StandIn> => (await import('../stand-ins/smtp.js')).startSmtpStandIn(),
    hookUrl: (base) => base,
    describe: (r) => `to ${demoText(r.url)} "${shortText(demoText(field(r.json, 'subject')), 40)}"`,
  },
  create(config): BlockIntegration {
    const url = config.hookUrl?.reveal() ?? '';
    const password = config.apiKey?.reveal();
    if (smtpEndpoint(url) === undefined) return { unavailable: 'hook_url must be smtp://host:port or smtps://host:port', plan: () => [] };
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
      return { unavailable: 'hook_url has user info: put the login in <options> "user" and the password in <api_key>', plan: () => [] };
    }
    const options = emailOptions(config.options);
    if (typeof options === 'string') return { unavailable: options, plan: () => [] };
    const body = compileTemplate(config);
    if ('problem' in body) return { unavailable: body.problem, plan: () => [] };
    const subject = compileTemplate(config, 'subject_template');
    if ('problem' in subject) return { unavailable: subject.problem, plan: () => [] };
    const auth = password === undefined || password === '' ? undefined : { user: options.user ?? options.from, pass: password };
    return {
      plan: (alert): SmtpStep[] => [
        {
          kind: 'smtp',
          url,
          starttls: options.starttls,
          ...(auth ? { auth } : {}),
          message: { from: options.from, to: options.to, subject: emailSubject(alert, subject.render(alert)), text: body.render(alert) ?? emailText(alert), headers: emailHeaders(alert) },
          secrets: password === undefined || password === '' ? [] : [password],
        },
      ],
    };
  },
};
