// A Jira REST API v2 stand-in: stores issues, answers label searches, Jira's error bodies and 429 with Retry-After.

import { startStandIn, type Reply, type StandIn, type StandInOptions } from './stand-in-server.js';

/** Jira's answers, to script misbehaviour with `standIn.script(...)`. */
export const JIRA_REPLIES = {
  unauthorized: { status: 401, body: { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} } },
  invalid: (errors: Readonly<Record<string, string>>): Reply => ({ status: 400, body: { errorMessages: [], errors } }),
  badJql: (message: string): Reply => ({ status: 400, body: { errorMessages: [message], errors: {} } }),
  notFound: { status: 404, body: { errorMessages: ['Not found'], errors: {} } },
  rateLimited: (seconds: number): Reply => ({ status: 429, headers: { 'retry-after': String(seconds) }, body: 'Rate limit exceeded.' }),
  unavailable: { status: 503, body: 'Service Unavailable' },
} as const;

export interface JiraIssue {
  readonly id: string;
  readonly key: string;
  readonly fields: Record<string, unknown>;
}

export interface JiraStandIn extends StandIn {
  readonly issues: JiraIssue[];
}

export interface JiraStandInOptions extends Omit<StandInOptions, 'answer'> {
  /** The `email:token` accepted as Basic auth (default any). */
  readonly apiKey?: string;
  /** Project keys that exist (default any). */
  readonly projects?: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const LABEL_JQL = /^labels\s*=\s*"([^"\\]*)"$/;

/** Starts a Jira stand-in on 127.0.0.1. */
export const startJiraStandIn = async (options: JiraStandInOptions = {}): Promise<JiraStandIn> => {
  const issues: JiraIssue[] = [];
  const answer: StandInOptions['answer'] = (request) => {
    const auth = request.headers['authorization'];
    const expected = options.apiKey === undefined ? undefined : `Basic ${Buffer.from(options.apiKey).toString('base64')}`;
    if (typeof auth !== 'string' || !auth.startsWith('Basic ') || (expected !== undefined && auth !== expected)) return JIRA_REPLIES.unauthorized;
    const url = new URL(request.url, 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/rest/api/2/search') {
      const m = LABEL_JQL.exec(url.searchParams.get('jql') ?? '');
      if (!m) return JIRA_REPLIES.badJql("Error in the JQL Query: expected labels = \"…\"");
      const found = issues.filter((i) => Array.isArray(i.fields['labels']) && i.fields['labels'].includes(m[1]));
      return { status: 200, body: { startAt: 0, maxResults: 1, total: found.length, issues: found.slice(0, 1).map(({ id, key }) => ({ id, key })) } };
    }
    if (request.method !== 'POST' || url.pathname !== '/rest/api/2/issue') return JIRA_REPLIES.notFound;
    const fields = isObject(request.json) ? request.json['fields'] : undefined;
    if (!isObject(fields)) return JIRA_REPLIES.invalid({ fields: 'fields is required' });
    const project = isObject(fields['project']) ? fields['project']['key'] : undefined;
    if (typeof project !== 'string' || (options.projects !== undefined && !options.projects.includes(project))) {
      return JIRA_REPLIES.invalid({ project: 'valid project is required' });
    }
    if (!isObject(fields['issuetype']) || typeof fields['issuetype']['name'] !== 'string') return JIRA_REPLIES.invalid({ issuetype: 'issue type is required' });
    if (typeof fields['summary'] !== 'string' || fields['summary'] === '') return JIRA_REPLIES.invalid({ summary: 'You must specify a summary of the issue.' });
    const labels = fields['labels'];
    if (Array.isArray(labels) && labels.some((l) => typeof l !== 'string' || /\s/.test(l) || l.length > 255)) {
      return JIRA_REPLIES.invalid({ labels: 'The label must not contain spaces and be at most 255 characters.' });
    }
    const id = String(10000 + issues.length);
    const key = `${project}-${issues.length + 1}`;
    issues.push({ id, key, fields });
    return { status: 201, body: { id, key, self: `${url.origin}/rest/api/2/issue/${id}` } };
  };
  const server = await startStandIn({ ...options, answer });
  return Object.assign(server, { issues });
};
