// A loopback MISP (`POST /attributes/restSearch[/]`): known attributes with their Event, the empty answer, auth failures and a rate limit.

import type { Reply, ReceivedRequest, StandIn } from './stand-in-server.js';
import { startStandIn } from './stand-in-server.js';

/** EICAR's test file SHA-256: in two MISP events (a multi-attribute answer). */
export const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
/** EICAR's test file SHA-1: in one MISP event (its MD5 is unknown to the stand-in). */
export const EICAR_SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';
/** A C2 address known to MISP (illustrative). */
export const MISP_C2_IP = '185.220.101.47';
/** A phishing domain known to MISP (illustrative). */
export const MISP_DOMAIN = 'login-micros0ft-support.com';

type Attribute = Readonly<Record<string, unknown>>;

let nextId = 4100;
const attribute = (eventId: string, category: string, type: string, value: string, comment = ''): Attribute => ({
  id: String(nextId++),
  event_id: eventId,
  object_id: '0',
  object_relation: null,
  category,
  type,
  to_ids: true,
  uuid: `5f0c${String(nextId).padStart(4, '0')}-9c1e-4d6a-8e4b-3c2f1a0b9d7e`,
  timestamp: '1765000000',
  distribution: '5',
  sharing_group_id: '0',
  comment,
  deleted: false,
  disable_correlation: false,
  first_seen: null,
  last_seen: null,
  value,
  Event: { org_id: '1', distribution: '1', id: eventId, info: `OSINT event ${eventId}`, orgc_id: '1', uuid: `e7a1${eventId}-0000-4000-8000-000000000000`, threat_level_id: eventId === '1601' ? '1' : '2' },
});

const KNOWN = new Map<string, readonly Attribute[]>([
  [EICAR_SHA256, [attribute('1542', 'Payload delivery', 'sha256', EICAR_SHA256, 'EICAR test file'), attribute('1777', 'Artifacts dropped', 'sha256', EICAR_SHA256)]],
  [EICAR_SHA1, [attribute('1542', 'Payload delivery', 'sha1', EICAR_SHA1, 'EICAR test file')]],
  [MISP_C2_IP, [attribute('1601', 'Network activity', 'ip-dst', MISP_C2_IP, 'C2 server')]],
  [MISP_DOMAIN, [attribute('1650', 'Network activity', 'domain', MISP_DOMAIN, 'phishing kit')]],
]);

const AUTH_FAILED = 'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.';
const refusal = (status: number, message: string): Reply => ({ status, body: { name: message, message, url: '/attributes/restSearch' } });

export interface MispStandInOptions {
  /** When set, a missing Authorization header gets 401, another key 403 (MISP's bodies). */
  readonly apiKey?: string;
  /** MISP's per-user rate limit: `limit` searches per window, then 429 with Retry-After. */
  readonly rateLimit?: { readonly limit: number; readonly windowMs: number };
  readonly port?: number;
}

/**
 * Starts the stand-in on 127.0.0.1. `POST /attributes/restSearch` with `{"value": …}` → 200
 * `{"response": {"Attribute": [...]}}` (every attribute with that value, the list empty for an
 * unknown one); 401/403 for a missing/wrong key; past the rate limit, 429 with Retry-After.
 */
export const startMispStandIn = (options: MispStandInOptions = {}): Promise<StandIn> => {
  const { limit, windowMs } = options.rateLimit ?? { limit: Number.POSITIVE_INFINITY, windowMs: 60_000 };
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  const answer = (request: ReceivedRequest): Reply => {
    if (request.method !== 'POST' || new URL(request.url, 'http://stand-in').pathname.replace(/\/$/, '') !== '/attributes/restSearch') return { status: 404, body: { name: 'Not Found', message: 'Not Found', url: request.url } };
    const key = request.headers['authorization'];
    if (options.apiKey !== undefined && key === undefined) return refusal(401, AUTH_FAILED);
    if (options.apiKey !== undefined && key !== options.apiKey) return refusal(403, AUTH_FAILED);
    const now = Date.now();
    if (now >= windowStart + windowMs) {
      windowStart = now;
      used = 0;
    }
    if (used >= limit) return { ...refusal(429, 'Rate limit exceeded.'), headers: { 'retry-after': String(Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000))) } };
    used += 1;
    const value = (request.json as { value?: unknown } | undefined)?.value;
    if (typeof value !== 'string') return refusal(400, 'Invalid filter: value');
    return { status: 200, body: { response: { Attribute: KNOWN.get(value) ?? [] } } };
  };
  return startStandIn({ answer, ...(options.port === undefined ? {} : { port: options.port }) });
};
