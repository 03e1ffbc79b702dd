// A Teams Workflows webhook stand-in: 202 for an Adaptive Card message, Power Automate's error bodies, throttling.

import { startStandIn, type Reply, type StandIn, type StandInOptions } from './stand-in-server.js';
import { rateLimiter, type RateLimitOptions } from './rate-limiter.js';

const flowError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

/** Workflows' answers, to script misbehaviour with `standIn.script(...)`. */
export const TEAMS_REPLIES = {
  accepted: { status: 202 },
  invalidContent: (message: string): Reply => flowError(400, 'InvalidRequestContent', message),
  badSignature: flowError(401, 'DirectApiAuthorizationRequired', 'The request must be authenticated only by Shared Access scheme.'),
  flowNotFound: flowError(404, 'WorkflowNotFound', "The workflow 'demo' could not be found."),
  throttled: (seconds: number): Reply => ({
    status: 429,
    headers: { 'retry-after': String(seconds) },
    body: { error: { code: 'WorkflowRequestsThrottled', message: 'The workflow is being throttled: too many requests. Retry after the delay in the Retry-After header.' } },
  }),
  badGateway: flowError(502, 'BadGateway', 'The server did not receive a response from an upstream server.'),
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the "Post card in a chat or channel" step refuses in a message (undefined when it would post it). */
export const teamsEnvelopeProblem = (json: unknown): string | undefined => {
  if (!isObject(json)) return 'The request content is not valid JSON.';
  if (json['type'] !== 'message') return "The property 'type' must be 'message'.";
  const attachments = json['attachments'];
  if (!Array.isArray(attachments) || attachments.length === 0) return "The property 'attachments' must be a non-empty array.";
  for (const a of attachments) {
    if (!isObject(a) || a['contentType'] !== 'application/vnd.microsoft.card.adaptive') return "Each attachment must have contentType 'application/vnd.microsoft.card.adaptive'.";
    const card = a['content'];
    if (!isObject(card) || card['type'] !== 'AdaptiveCard') return "The attachment content must be an AdaptiveCard.";
    if (!Array.isArray(card['body'])) return "The AdaptiveCard must have a 'body' array.";
  }
  return undefined;
};

export interface TeamsStandInOptions extends Omit<StandInOptions, 'answer'> {
  /** Throttle like a flow's trigger: more than `limit` requests in `windowMs` get 429 with Retry-After; off when absent. */
  readonly rateLimit?: RateLimitOptions;
}

/**
 * Answers like a Workflows trigger URL: POST `/workflows/<id>/triggers/manual/paths/invoke?…&sig=…`
 * with a valid message → 202 (empty body); no `sig` → 401; another path → 404 WorkflowNotFound;
 * an invalid envelope → 400 InvalidRequestContent; throttled (when `rateLimit` is set) → 429.
 */
export const startTeamsStandIn = (options: TeamsStandInOptions = {}): Promise<StandIn> => {
  const { rateLimit, ...rest } = options;
  const limiter = rateLimit === undefined ? undefined : rateLimiter(rateLimit);
  return startStandIn({
    ...rest,
    answer: (request) => {
      const url = new URL(request.url, 'http://stand-in');
      if (request.method !== 'POST' || !/^\/workflows\/[^/]+\/triggers\/manual\/paths\/invoke$/.test(url.pathname)) return TEAMS_REPLIES.flowNotFound;
      if (!url.searchParams.get('sig')) return TEAMS_REPLIES.badSignature;
      const wait = limiter?.(request.receivedAt);
      if (wait !== undefined) return TEAMS_REPLIES.throttled(Math.ceil(wait / 1000));
      const problem = teamsEnvelopeProblem(request.json);
      return problem === undefined ? TEAMS_REPLIES.accepted : TEAMS_REPLIES.invalidContent(problem);
    },
  });
};
