// A loopback VirusTotal (API v2 file/report and v3 files/{id}) with known hashes, for the demo and specs.

import type { Reply, ReceivedRequest, StandIn } from './stand-in-server.js';
import { startStandIn } from './stand-in-server.js';

/** A file VirusTotal knows, with the numbers of its last analysis. */
export interface KnownFile {
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
  readonly name: string;
  readonly size: number;
  /** Engines per verdict, as v3's last_analysis_stats. */
  readonly stats: Readonly<Record<'malicious' | 'suspicious' | 'undetected' | 'harmless' | 'timeout' | 'type-unsupported', number>>;
  /** Epoch seconds of the last analysis. */
  readonly analysedAt: number;
}

/** The EICAR test file: found, malicious (66 of 68 engines, as in Wazuh's documented alert). */
export const EICAR: KnownFile = {
  md5: '44d88612fea8a8f36de82e1278abb02f',
  sha1: '3395856ce81f2b7382dee72602f798b642f14140',
  sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
  name: 'eicar.com',
  size: 68,
  stats: { malicious: 66, suspicious: 0, undetected: 2, harmless: 0, timeout: 0, 'type-unsupported': 4 },
  analysedAt: 1668705304,
};

/** The empty file: found, clean. */
export const EMPTY_FILE: KnownFile = {
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  name: 'empty.txt',
  size: 0,
  stats: { malicious: 0, suspicious: 0, undetected: 60, harmless: 0, timeout: 1, 'type-unsupported': 14 },
  analysedAt: 1715680000,
};

/** An md5 that v2 reports as queued for analysis (`response_code` −2). */
export const QUEUED_MD5 = '0123456789abcdef0123456789abcdef';

/** Scripted answers for `standIn.script(…)`: VirusTotal's quota, credential and server failures. */
export const VIRUSTOTAL_FAILURES = {
  /** v2's public API quota answer: 204 with an empty body. */
  rateLimitV2: { status: 204 },
  /** v3's quota answer. */
  rateLimit: { status: 429, body: { error: { code: 'QuotaExceededError', message: 'Quota exceeded' } } },
  forbidden: { status: 403 },
  serverError: { status: 500, body: { error: { code: 'TransientError', message: 'Transient error' } } },
} satisfies Record<string, Reply>;

const pad = (n: number) => String(n).padStart(2, '0');
const scanDate = (epoch: number) => {
  const d = new Date(epoch * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const total = (f: KnownFile) => f.stats.malicious + f.stats.suspicious + f.stats.undetected + f.stats.harmless;
const permalink = (f: KnownFile) => `https://www.virustotal.com/gui/file/${f.sha256}/detection/f-${f.sha256}-${f.analysedAt}`;

const v2Report = (f: KnownFile, resource: string) => ({
  scans: {
    Bkav: { detected: f.stats.malicious > 0, version: '2.0.0.1', result: f.stats.malicious > 0 ? 'DOS.EiracA.Trojan' : null, update: '20221117' },
    ClamAV: { detected: f.stats.malicious > 0, version: '1.0.0', result: f.stats.malicious > 0 ? 'Win.Test.EICAR_HDB-1' : null, update: '20221117' },
  },
  scan_id: `${f.sha256}-${f.analysedAt}`,
  sha1: f.sha1,
  resource,
  response_code: 1,
  scan_date: scanDate(f.analysedAt),
  permalink: permalink(f),
  verbose_msg: 'Scan finished, information embedded',
  total: total(f),
  positives: f.stats.malicious,
  sha256: f.sha256,
  md5: f.md5,
});

const v3File = (f: KnownFile) => ({
  data: {
    id: f.sha256,
    type: 'file',
    links: { self: `https://www.virustotal.com/api/v3/files/${f.sha256}` },
    attributes: {
      md5: f.md5,
      sha1: f.sha1,
      sha256: f.sha256,
      meaningful_name: f.name,
      size: f.size,
      last_analysis_date: f.analysedAt,
      last_analysis_stats: { ...f.stats, 'confirmed-timeout': 0, failure: 0 },
      reputation: f.stats.malicious > 0 ? -100 : 0,
    },
  },
});

export interface VirusTotalStandInOptions {
  /** When set, other keys are refused (v2: 403 without body; v3: 401 WrongCredentialsError). */
  readonly apiKey?: string;
  /** Files known besides EICAR and the empty file. */
  readonly files?: readonly KnownFile[];
  /** Port on 127.0.0.1 (default: any free port). */
  readonly port?: number;
  /** Delay before every answer, in ms. */
  readonly delayMs?: number;
}

/**
 * Starts the stand-in on 127.0.0.1. v2: `GET /vtapi/v2/file/report?apikey=…&resource=<hash>` →
 * a report (response_code 1), `response_code` 0 for an unknown hash, −2 for QUEUED_MD5. v3:
 * `GET /api/v3/files/<hash>` (header `x-apikey`) → the file object, 404 NotFoundError when unknown.
 * Any hash type (md5, sha1, sha256) in either case. Failures on demand with `script(…)`
 * (VIRUSTOTAL_FAILURES, 'hang', 'reset'); slow answers with `setDelay` or `delayMs`.
 */
export const startVirusTotalStandIn = (options: VirusTotalStandInOptions = {}): Promise<StandIn> => {
  const byHash = new Map<string, KnownFile>();
  for (const f of [EICAR, EMPTY_FILE, ...(options.files ?? [])]) for (const h of [f.md5, f.sha1, f.sha256]) byHash.set(h.toLowerCase(), f);

  const answer = (request: ReceivedRequest): Reply => {
    const url = new URL(request.url, 'http://stand-in');
    if (url.pathname === '/vtapi/v2/file/report') {
      if (options.apiKey !== undefined && url.searchParams.get('apikey') !== options.apiKey) return { status: 403 };
      const resource = url.searchParams.get('resource') ?? '';
      if (resource.toLowerCase() === QUEUED_MD5) return { status: 200, body: { response_code: -2, resource, scan_id: `${resource}-queued`, verbose_msg: 'Your resource is queued for analysis' } };
      const known = byHash.get(resource.toLowerCase());
      return {
        status: 200,
        body: known ? v2Report(known, resource) : { response_code: 0, resource, verbose_msg: 'The requested resource is not among the finished, queued or pending scans' },
      };
    }
    const v3 = /^\/api\/v3\/files\/([^/]+)$/.exec(url.pathname);
    if (v3) {
      if (options.apiKey !== undefined && request.headers['x-apikey'] !== options.apiKey) {
        return { status: 401, body: { error: { code: 'WrongCredentialsError', message: 'Wrong API key' } } };
      }
      const hash = decodeURIComponent(v3[1] ?? '');
      const known = byHash.get(hash.toLowerCase());
      return known ? { status: 200, body: v3File(known) } : { status: 404, body: { error: { code: 'NotFoundError', message: `File "${hash}" not found` } } };
    }
    return { status: 404, body: { error: { code: 'NotFoundError', message: 'Resource not found' } } };
  };

  return startStandIn({
    answer,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
  });
};
