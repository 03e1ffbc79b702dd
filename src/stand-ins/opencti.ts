// A loopback OpenCTI GraphQL endpoint: indicators and observables by FilterGroup, GraphQL errors with HTTP 200, 401 and a rate limit.

import type { Reply, ReceivedRequest, StandIn } from './stand-in-server.js';
import { startStandIn } from './stand-in-server.js';
import { EICAR_SHA256, MISP_C2_IP as C2_IP, MISP_DOMAIN as PHISHING_DOMAIN } from './misp.js';

export { C2_IP as OPENCTI_C2_IP, EICAR_SHA256 as OPENCTI_EICAR_SHA256, PHISHING_DOMAIN as OPENCTI_PHISHING_DOMAIN };

type Node = Record<string, unknown>;
const AUTHOR = { id: 'b3a1c9e2-0000-4000-8000-000000000001', standard_id: 'identity--6b1c7a2e-0000-4000-8000-000000000001', identity_class: 'organization', name: 'CERT Example', x_opencti_organization_type: 'CSIRT', x_opencti_reliability: 'B' };
const core = (id: string, type: string, labels: string[], refs: string[] = []): Node => ({
  id,
  type,
  created_at: '2026-11-02T09:15:00.000Z',
  updated_at: '2026-12-01T18:40:12.000Z',
  createdBy: AUTHOR,
  objectLabel: labels.map((value) => ({ value })),
  externalReferences: { edges: refs.map((url) => ({ node: { url } })) },
});
const indicator = (id: string, name: string, pattern: string, score: number, extra: Partial<Node> = {}): Node => ({
  ...core(id, 'Indicator', ['c2', 'tor'], [`https://intel.example.org/ioc/${id}`]),
  name,
  valid_until: '2027-06-01T00:00:00.000Z',
  revoked: false,
  confidence: 80,
  x_opencti_score: score,
  x_opencti_detection: true,
  indicator_types: ['malicious-activity'],
  x_mitre_platforms: [],
  pattern_type: 'stix',
  pattern,
  killChainPhases: [{ kill_chain_name: 'mitre-attack' }],
  ...extra,
});
const edges = (list: Node[]) => ({ edges: list.map((node) => ({ node })) });
/** The fields the query asks of an indicator nested in an observable (no author, no references), in its order. */
const SHORT = ['id', 'name', 'valid_until', 'revoked', 'confidence', 'x_opencti_score', 'x_opencti_detection', 'indicator_types', 'x_mitre_platforms', 'pattern_type', 'pattern', 'objectLabel', 'killChainPhases'];
const short = (i: Node): Node => Object.fromEntries(SHORT.map((k) => [k, i[k]]));

/** The C2 address's indicator (found by its exact pattern: indicator_pattern_match). */
export const C2_INDICATOR = indicator('2f6e0c1a-c2c2-4c2c-8c2c-000000000047', C2_IP, `[ipv4-addr:value = '${C2_IP}']`, 85);
/** EICAR's indicator by MD5: not one of the sent patterns, so the file observable carries it (observable_with_indicator). */
export const EICAR_INDICATOR = indicator('7d9a5b3c-e1ca-4e1c-8e1c-000000000eca', 'EICAR test file', "[file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f']", 60, { killChainPhases: [] });

const INDICATORS = [C2_INDICATOR, EICAR_INDICATOR];
const OBSERVABLES: Node[] = [
  { ...core('c0ffee00-e1ca-4e1c-8e1c-0000000000f1', 'StixFile', ['test-file']), observable_value: EICAR_SHA256, x_opencti_description: 'EICAR anti-virus test file', x_opencti_score: 60, indicators: edges([short(EICAR_INDICATOR)]), extensions: null, size: 68, name: 'eicar.com', x_opencti_additional_names: ['eicar.txt'], hashes: { SHA256: EICAR_SHA256 } },
  {
    ...core('d0d0d0d0-0000-4000-8000-00000000d0d0', 'Domain-Name', ['phishing']),
    observable_value: PHISHING_DOMAIN,
    x_opencti_description: null,
    x_opencti_score: 50,
    indicators: edges([]),
    value: PHISHING_DOMAIN,
    stixCoreRelationships: edges([{ type: 'IPv4-Addr', relationship_type: 'resolves-to', related: { id: 'a1a1a1a1-0000-4000-8000-000000000047', value: C2_IP, indicators: edges([short(C2_INDICATOR)]) } }]),
  },
];

const graphqlError = (message: string, code: string): Reply => ({ status: 200, body: { errors: [{ message, extensions: { code } }], data: null } });
type Filter = { key?: unknown; values?: unknown };
const filters = (group: unknown): Filter[] => (Array.isArray((group as { filters?: unknown } | undefined)?.filters) ? (group as { filters: Filter[] }).filters : []);
const valuesOf = (f: Filter | undefined): unknown[] => (Array.isArray(f?.values) ? f.values : []);
/** What OpenCTI stores under an observable filter key (`value`, `hashes.SHA256`). */
const keyed = (node: Node, key: unknown): unknown => (key === 'hashes.SHA256' ? (node['hashes'] as Node | undefined)?.['SHA256'] : node['observable_value']);
const strip = (node: Node): Node => Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'hashes'));
const PAGE = (count: number) => ({ startCursor: '', endCursor: '', hasNextPage: false, hasPreviousPage: false, globalCount: count });

export interface OpenCtiStandInOptions {
  /** When set, other Bearer tokens get GraphQL's AUTH_REQUIRED with HTTP 200; a header that is not Bearer, 401. */
  readonly token?: string;
  /** A rate limit in front of OpenCTI: `limit` requests per window, then 429 with Retry-After. */
  readonly rateLimit?: { readonly limit: number; readonly windowMs: number };
  readonly port?: number;
}

/**
 * Starts the stand-in on 127.0.0.1. `POST /graphql` with variables `obs` (observables: key and
 * values) and `ind` (indicators: pattern_type stix, pattern any of values) → 200 `{"data":
 * {"indicators", "stixCyberObservables"}}` with matching nodes (exact matches, as OpenCTI's eq).
 */
export const startOpenCtiStandIn = (options: OpenCtiStandInOptions = {}): Promise<StandIn> => {
  const { limit, windowMs } = options.rateLimit ?? { limit: Number.POSITIVE_INFINITY, windowMs: 60_000 };
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  const answer = (request: ReceivedRequest): Reply => {
    if (request.method !== 'POST' || new URL(request.url, 'http://stand-in').pathname !== '/graphql') return { status: 404, body: 'Cannot GET' };
    const auth = request.headers['authorization'];
    if (options.token !== undefined && (typeof auth !== 'string' || !auth.startsWith('Bearer '))) return { status: 401, body: 'Unauthorized' };
    if (options.token !== undefined && auth !== `Bearer ${options.token}`) return graphqlError('You must be logged in to do this.', 'AUTH_REQUIRED');
    const now = Date.now();
    if (now >= windowStart + windowMs) {
      windowStart = now;
      used = 0;
    }
    if (used >= limit) return { status: 429, headers: { 'retry-after': String(Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000))) }, body: 'Too Many Requests' };
    used += 1;
    const body = request.json as { query?: unknown; variables?: { obs?: unknown; ind?: unknown } } | undefined;
    if (typeof body?.query !== 'string' || !body.query.includes('stixCyberObservables')) return graphqlError('Syntax Error: Unexpected <EOF>.', 'GRAPHQL_PARSE_FAILED');
    const obs = filters(body.variables?.obs)[0];
    const patterns = valuesOf(filters(body.variables?.ind).find((f) => f.key === 'pattern'));
    const indicators = INDICATORS.filter((i) => patterns.includes(i['pattern']));
    const observables = OBSERVABLES.filter((o) => valuesOf(obs).includes(keyed(o, obs?.key))).map(strip);
    return { status: 200, body: { data: { indicators: { ...edges(indicators), pageInfo: PAGE(indicators.length) }, stixCyberObservables: { ...edges(observables), pageInfo: PAGE(observables.length) } } } };
  };
  return startStandIn({ answer, ...(options.port === undefined ? {} : { port: options.port }) });
};
