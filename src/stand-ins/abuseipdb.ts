// A loopback AbuseIPDB (`GET /api/v2/check`) with known addresses, its error bodies and its daily quota headers.

import { isIP } from 'node:net';
import type { Reply, ReceivedRequest, StandIn } from './stand-in-server.js';
import { startStandIn } from './stand-in-server.js';

/** An address AbuseIPDB reports as abusive (the example of AbuseIPDB's API documentation). */
export const REPORTED_IP = '118.25.6.39';
/** The source IP of sample alert 5 (an SSH brute force): reported, so the demo shows a found address. */
export const SAMPLE_SSH_IP = '77.53.9.158';
/** A reported IPv6 address (illustrative). */
export const REPORTED_IPV6 = '2a03:b0c0:3:d0::1af1:1';

type Report = Readonly<Record<string, unknown>>;

const reported = (ip: string, version: 4 | 6, score: number, country: string, isp: string, domain: string, reports: number): Report => ({
  ipAddress: ip,
  isPublic: true,
  ipVersion: version,
  isWhitelisted: false,
  abuseConfidenceScore: score,
  countryCode: country,
  usageType: 'Data Center/Web Hosting/Transit',
  isp,
  domain,
  hostnames: [],
  isTor: false,
  totalReports: reports,
  numDistinctUsers: Math.min(reports, 37),
  lastReportedAt: '2026-12-07T21:14:03+00:00',
});

const KNOWN = new Map<string, Report>([
  [REPORTED_IP, reported(REPORTED_IP, 4, 100, 'CN', 'Tencent Cloud Computing (Beijing) Co. Ltd', 'tencent.com', 1093)],
  [SAMPLE_SSH_IP, reported(SAMPLE_SSH_IP, 4, 87, 'SE', 'Bahnhof AB', 'bahnhof.se', 41)],
  [REPORTED_IPV6, reported(REPORTED_IPV6, 6, 64, 'DE', 'DigitalOcean LLC', 'digitalocean.com', 12)],
]);

/** AbuseIPDB's answer for an address nobody reported: score 0, no reports, lastReportedAt null. */
const unreported = (ip: string): Report => ({
  ipAddress: ip,
  isPublic: true,
  ipVersion: isIP(ip) === 6 ? 6 : 4,
  isWhitelisted: null,
  abuseConfidenceScore: 0,
  countryCode: null,
  usageType: null,
  isp: 'Example Transit',
  domain: null,
  hostnames: [],
  isTor: false,
  totalReports: 0,
  numDistinctUsers: 0,
  lastReportedAt: null,
});

/** AbuseIPDB's error body: `{"errors": [{"detail", "status"}]}`. */
const failure = (status: number, detail: string, extra: Record<string, unknown> = {}): Reply => ({ status, body: { errors: [{ detail, status, ...extra }] } });

export const ABUSEIPDB_FAILURES = {
  unauthorized: failure(401, 'Authentication failed. Your API key is either missing, incorrect, or revoked. Note: The APIv2 key differs from the APIv1 key.'),
  serverError: failure(500, 'Server error.'),
} satisfies Record<string, Reply>;

export interface AbuseIpdbStandInOptions {
  /** When set, other `Key:` headers get 401 with AbuseIPDB's body. */
  readonly apiKey?: string;
  /** The daily quota: `limit` checks per window (AbuseIPDB's free plan: 1000 a day). */
  readonly quota?: { readonly limit: number; readonly windowMs: number };
  /** Port on 127.0.0.1 (default: any free port). */
  readonly port?: number;
}

/**
 * Starts the stand-in on 127.0.0.1. `GET /api/v2/check?ipAddress=…&maxAgeInDays=…` (header `Key`)
 * → 200 `{"data": {…}}` with X-RateLimit-Limit/Remaining; 401 for a wrong key; 422 for an
 * address that is not one (or a maxAgeInDays outside 1–365); past the quota, 429 with
 * Retry-After (seconds to the window's reset) and X-RateLimit-Limit/Remaining (0)/Reset (epoch s).
 */
export const startAbuseIpdbStandIn = (options: AbuseIpdbStandInOptions = {}): Promise<StandIn> => {
  const { limit, windowMs } = options.quota ?? { limit: 1000, windowMs: 86_400_000 };
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;

  const answer = (request: ReceivedRequest): Reply => {
    const url = new URL(request.url, 'http://stand-in');
    if (url.pathname !== '/api/v2/check') return failure(404, 'Not found.');
    if (options.apiKey !== undefined && request.headers['key'] !== options.apiKey) return ABUSEIPDB_FAILURES.unauthorized;
    const now = Date.now();
    if (now >= windowStart + windowMs) {
      windowStart = now;
      used = 0;
    }
    const resetAt = windowStart + windowMs;
    if (used >= limit) {
      return {
        ...failure(429, `Daily rate limit of ${limit} requests exceeded for this endpoint. See headers for additional details.`),
        headers: {
          'retry-after': String(Math.max(1, Math.ceil((resetAt - now) / 1000))),
          'x-ratelimit-limit': String(limit),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)),
        },
      };
    }
    used += 1;
    const quota = { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(limit - used) };
    const ip = url.searchParams.get('ipAddress') ?? '';
    const maxAge = Number(url.searchParams.get('maxAgeInDays') ?? '30');
    if (isIP(ip) === 0) return { ...failure(422, 'The ip address must be a valid IPv4 or IPv6 address (e.g. 8.8.8.8 or 2001:4860:4860::8888).', { source: { parameter: 'ipAddress' } }), headers: quota };
    if (!Number.isInteger(maxAge) || maxAge < 1 || maxAge > 365) return { ...failure(422, 'The max age in days must be between 1 and 365.', { source: { parameter: 'maxAgeInDays' } }), headers: quota };
    return { status: 200, headers: quota, body: { data: KNOWN.get(ip) ?? unreported(ip) } };
  };

  return startStandIn({ answer, ...(options.port === undefined ? {} : { port: options.port }) });
};
