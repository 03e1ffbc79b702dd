// A TheHive 5 stand-in: POST /api/v1/alert stores alerts, refuses a second one with the same type/source/sourceRef.

import { startStandIn, type Reply, type StandIn, type StandInOptions } from './stand-in-server.js';

/** TheHive's error bodies, to script misbehaviour with `standIn.script(...)`. */
export const THEHIVE_REPLIES = {
  alreadyExists: { status: 400, body: { type: 'CreateError', message: 'Alert already exists' } },
  authenticationFailure: { status: 401, body: { type: 'AuthenticationError', message: 'Authentication failure' } },
  invalid: (message: string): Reply => ({ status: 400, body: { type: 'AttributeCheckingError', message } }),
  notFound: { status: 404, body: { type: 'NotFoundError', message: 'Resource not found' } },
  rateLimited: (seconds: number): Reply => ({ status: 429, headers: { 'retry-after': String(seconds) }, body: { type: 'RateLimitExceeded', message: 'Too many requests' } }),
  unavailable: { status: 503, body: { type: 'InternalError', message: 'Service unavailable' } },
} as const;

export interface TheHiveStandIn extends StandIn {
  /** The alerts created, in order (each POST body with its `_id`). */
  readonly alerts: Record<string, unknown>[];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Starts a TheHive stand-in on 127.0.0.1; `apiKey` (default any) is the bearer token it accepts. */
export const startTheHiveStandIn = async (options: Omit<StandInOptions, 'answer'> & { readonly apiKey?: string } = {}): Promise<TheHiveStandIn> => {
  const alerts: Record<string, unknown>[] = [];
  const keys = new Set<string>();
  const answer: StandInOptions['answer'] = (request) => {
    if (request.method !== 'POST' || request.url.split('?')[0] !== '/api/v1/alert') return THEHIVE_REPLIES.notFound;
    const auth = request.headers['authorization'];
    if (typeof auth !== 'string' || !auth.startsWith('Bearer ') || (options.apiKey !== undefined && auth !== `Bearer ${options.apiKey}`)) {
      return THEHIVE_REPLIES.authenticationFailure;
    }
    const body = request.json;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return THEHIVE_REPLIES.invalid('Invalid json');
    const alert = body as Record<string, unknown>;
    for (const name of ['type', 'source', 'sourceRef', 'title', 'description']) {
      if (text(alert[name]) === undefined) return THEHIVE_REPLIES.invalid(`${name} is missing`);
    }
    const severity = alert['severity'];
    if (severity !== undefined && (typeof severity !== 'number' || severity < 1 || severity > 4)) return THEHIVE_REPLIES.invalid('severity must be 1..4');
    const key = `${String(alert['type'])}|${String(alert['source'])}|${String(alert['sourceRef'])}`;
    if (keys.has(key)) return THEHIVE_REPLIES.alreadyExists;
    keys.add(key);
    const created = { _id: `~${4096 + alerts.length}`, _type: 'Alert', ...alert };
    alerts.push(created);
    return { status: 201, body: created };
  };
  const server = await startStandIn({ ...options, answer });
  return Object.assign(server, { alerts });
};
