// Jira (REST API v2): one issue per alert, labelled with the alert id; searched first so a re-send creates no second issue.

import { field, stringField, type Alert } from '../alerts/alert.js';
import { classifyHttp } from '../delivery/classify-http.js';
import type { HttpResponse, HttpStep, Verdict } from '../delivery/step.js';
import { startJiraStandIn } from '../stand-ins/jira.js';
import { registerSecret } from '../telemetry/log.js';
import { member, pythonText, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { demoText, shortText } from './demo-text.js';
import { hookUrlProblem, jsonPost } from './json-post.js';
import { compileTemplate } from './message-template.js';
import { escapeJiraWiki, jiraNoformat } from './markup-escapes.js';

export const JIRA_ISSUE_PATH = '/rest/api/2/issue';
export const JIRA_SEARCH_PATH = '/rest/api/2/search';
/** Jira's longest label. */
const MAX_LABEL = 255;

/**
 * `wazuh-alert-<id>` as a Jira label: no spaces (Jira splits on them), only letters, digits, `.`, `_`
 * and `-` (anything else becomes `_`, so the JQL string needs no escaping), at most 255 characters.
 */
export const jiraAlertLabel = (id: string): string => `wazuh-alert-${id}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_LABEL);

/** The base URL with a REST path appended (a path on hook_url is kept as the base: Jira behind a context path). */
const restUrl = (hookUrl: string, path: string): URL => {
  const url = new URL(hookUrl);
  url.pathname = `${url.pathname.replace(/\/rest\/api\/2\/issue\/?$/, '').replace(/\/+$/, '')}${path}`;
  url.search = '';
  return url;
};

export interface JiraOptions {
  readonly project: string;
  readonly issueType: string;
}

/** Project key and issue type from `<options>{"project": "SEC", "issue_type": "Task"}`, or why they are unusable. */
export const jiraOptions = (options: Readonly<Record<string, unknown>> | undefined): JiraOptions | string => {
  const project = options?.['project'];
  const issueType = options?.['issue_type'];
  if (typeof project !== 'string' || project === '' || typeof issueType !== 'string' || issueType === '') {
    return 'jira needs <options>{"project": "<project key>", "issue_type": "<issue type name>"}</options>';
  }
  return { project, issueType };
};

/** Jira's priority name from the rule level: ≥ 13 Highest, ≥ 10 High, ≥ 7 Medium, else Low. */
export const jiraPriority = (level: number): string => (level >= 13 ? 'Highest' : level >= 10 ? 'High' : level >= 7 ? 'Medium' : 'Low');

/**
 * The `fields` of the issue: project, issue type, summary (≤ 255, plain text), description (alert
 * values wiki-escaped, one line each, full_log in {noformat}; or the block's rendered `<template>`,
 * `text`, its `{{x}}` wiki-escaped), the alert-id label and the rule groups.
 */
export const jiraIssue = (alert: Alert, options: JiraOptions, label: string | undefined, text?: string): Record<string, unknown> => {
  const level = ruleLevel(alert);
  const groups = ruleMember(alert, 'groups', []);
  const groupLabels = Array.isArray(groups) ? groups.map((g) => `wazuh-${pythonText(g)}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_LABEL)) : [];
  const description = text ?? [
    `Rule ${escapeJiraWiki(pythonText(ruleMember(alert, 'id', 'N/A')))} (level ${level}): ${escapeJiraWiki(pythonText(ruleMember(alert, 'description', 'N/A')))}`,
    `Agent: ${escapeJiraWiki(`${pythonText(field(alert, 'agent', 'id') ?? 'N/A')} - ${pythonText(field(alert, 'agent', 'name') ?? 'N/A')}`)}`,
    `Location: ${escapeJiraWiki(pythonText(member(alert, 'location', 'N/A')))}`,
    '{noformat}',
    jiraNoformat(pythonText(member(alert, 'full_log', ''))),
    '{noformat}',
  ].join('\n');
  const summary = `Wazuh: ${pythonText(ruleMember(alert, 'description', 'alert'))}`.replace(/[\r\n]+/g, ' ');
  return {
    fields: {
      project: { key: options.project },
      issuetype: { name: options.issueType },
      summary: summary.length > 255 ? `${summary.slice(0, 254)}…` : summary,
      description,
      labels: [...(label === undefined ? [] : [label]), ...groupLabels],
    },
  };
};

/** Issues the search found (`total`), or undefined when the body is not Jira's search answer. */
const searchTotal = (body: string): number | undefined => {
  try {
    const total: unknown = field(JSON.parse(body) as unknown, 'total');
    return typeof total === 'number' ? total : undefined;
  } catch {
    return undefined;
  }
};

/** A 200 search answer must be Jira's (with `total`); anything else as the shared rules say. */
const classifySearch = (response: HttpResponse): Verdict => {
  const verdict = classifyHttp(response);
  if (verdict.kind !== 'delivered') return verdict;
  return searchTotal(response.body) === undefined ? { kind: 'retry', reason: 'jira search answer has no total' } : verdict;
};

/**
 * Needs hook_url (the Jira base URL), api_key `email:token` (sent as Basic auth) and options
 * project + issue_type. Per alert with an id: a search for its label, then the create only when the
 * search found nothing (a re-send after a crash finds the issue and stops). Without an id: the create alone.
 */
export const jira: Integration = {
  name: 'jira',
  requires: { hookUrl: true, apiKey: true },
  jsonOnlyScript: false,
  ours: true,
  templates: ['template'],
  demo: {
    service: 'jira',
    label: 'Jira',
    start: () => startJiraStandIn(),
    hookUrl: (base) => base,
    sentBy: (r) => r.method === 'POST',
    describe: (r) => `${demoText(field(r.json, 'fields', 'project', 'key'))} "${shortText(demoText(field(r.json, 'fields', 'summary')), 40)}"`,
  },
  create(config): BlockIntegration {
    const hook = config.hookUrl?.reveal() ?? '';
    const key = config.apiKey?.reveal() ?? '';
    const problem = hookUrlProblem(hook);
    if (problem !== undefined) return { unavailable: problem, plan: () => [] };
    const colon = key.indexOf(':');
    if (colon <= 0 || colon === key.length - 1) return { unavailable: 'jira needs <api_key> as email:api-token', plan: () => [] };
    const options = jiraOptions(config.options);
    if (typeof options === 'string') return { unavailable: options, plan: () => [] };
    const template = compileTemplate(config, 'template', escapeJiraWiki);
    if ('problem' in template) return { unavailable: template.problem, plan: () => [] };
    const basic = Buffer.from(key).toString('base64');
    const token = key.slice(colon + 1);
    registerSecret(basic);
    registerSecret(token);
    const secrets = [key, basic, token, hook];
    const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Basic ${basic}` };
    const issueUrl = restUrl(hook, JIRA_ISSUE_PATH).toString();
    const create = (alert: Alert, label: string | undefined): HttpStep => jsonPost(issueUrl, jiraIssue(alert, options, label, template.render(alert)), secrets, classifyHttp, headers);
    return {
      plan: (alert) => {
        const id = stringField(alert, 'id');
        if (id === undefined || id === '') return [create(alert, undefined)];
        const label = jiraAlertLabel(id);
        const search = restUrl(hook, JIRA_SEARCH_PATH);
        search.search = new URLSearchParams({ jql: `labels = "${label}"`, fields: 'key', maxResults: '1' }).toString();
        const step: HttpStep = {
          kind: 'http',
          request: { method: 'GET', url: search.toString(), headers: { accept: 'application/json', authorization: `Basic ${basic}` } },
          secrets: secrets.filter((s) => s !== ''),
          classify: classifySearch,
          after: (response) => (searchTotal(response.body) === 0 ? [create(alert, label)] : []),
        };
        return [step];
      },
    };
  },
};
