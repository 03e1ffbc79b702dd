// A loopback Maltiverse API (sample, ip, hostname, url lookups) with known IoCs, for the demo and specs.

import { createHash } from 'node:crypto';
import type { Reply, ReceivedRequest, StandIn } from './stand-in-server.js';
import { startStandIn } from './stand-in-server.js';

type Ioc = Readonly<Record<string, unknown>>;

/** The source IP of sample alert 5, answered exactly as in sample 17 (a malicious IP with two sightings). */
export const MALICIOUS_IP = '77.53.9.158';
/** The phishing hostname of sample alert 14. */
export const PHISHING_HOSTNAME = 'paypal.com-information-update-activity-account.gq';
/** The URL of sample alert 14 (looked up by the sha256 of its text). */
export const PHISHING_URL = 'http://assocolours.com/mu/i/LoginVerification.php';
/** A credential-dumping tool sample (illustrative hashes) whose blacklist carries MITRE ATT&CK software references. */
export const MIMIKATZ_SAMPLE = {
  md5: 'bb8bdb3e8c92e97e2f63626bc3b254c4',
  sha1: '4a7f58c5e5da8e0e7a3a4ebd7bde6db0b2b6b0f4',
  sha256: '92804faaab2175dc501d73e814663058c78c0a042675a8937266357bcfb96c50',
} as const;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const IP_ANSWER: Ioc = {
  type: 'ip',
  ip_addr: MALICIOUS_IP,
  classification: 'malicious',
  creation_time: '2022-01-01 00:00:00',
  modification_time: '2024-05-10 08:12:44',
  blacklist: [
    { description: 'SSH brute force', source: 'Blocklist.de' },
    { description: 'Malicious IP', source: 'Threat Intel Source 1' },
  ],
};

const HOSTNAME_ANSWER: Ioc = {
  type: 'hostname',
  hostname: PHISHING_HOSTNAME,
  domain: 'information-update-activity-account.gq',
  tld: 'gq',
  is_alive: false,
  classification: 'malicious',
  creation_time: '2019-03-11 10:05:21',
  modification_time: '2024-04-02 09:15:00',
  tag: ['phishing', 'paypal'],
  blacklist: [
    { description: 'PayPal phishing', source: 'PhishTank', first_seen: '2019-03-11 10:05:21', last_seen: '2019-03-18 02:00:11', count: 3 },
    { description: 'Phishing', source: 'OpenPhish', first_seen: '2019-03-12 07:40:00', last_seen: '2024-04-02 09:15:00', count: 1 },
    { description: 'Phishing', source: 'Maltiverse', first_seen: '2019-03-12 07:41:00', last_seen: '2019-03-12 07:41:00', count: 1 },
  ],
};

const URL_ANSWER: Ioc = {
  type: 'url',
  url: PHISHING_URL,
  urlchecksum: sha256(PHISHING_URL),
  hostname: 'assocolours.com',
  domain: 'assocolours.com',
  classification: 'suspicious',
  creation_time: '2019-03-11 10:06:02',
  modification_time: '2023-12-01 17:30:45',
  blacklist: [{ description: 'Phishing', source: 'PhishTank', first_seen: '2019-03-11 10:06:02', last_seen: '2019-03-20 11:00:00', count: 1 }],
};

const SAMPLE_ANSWER: Ioc = {
  type: 'sample',
  md5: MIMIKATZ_SAMPLE.md5,
  sha1: MIMIKATZ_SAMPLE.sha1,
  sha256: MIMIKATZ_SAMPLE.sha256,
  filename: ['mimikatz.exe'],
  filetype: 'PE32+ executable (console) x86-64, for MS Windows',
  size: 1263880,
  classification: 'malicious',
  creation_time: '2020-09-19 12:00:31',
  modification_time: '2024-02-27 06:14:09',
  blacklist: [
    {
      description: 'Credential dumping tool',
      source: 'Hybrid-Analysis',
      first_seen: '2020-09-19 12:00:31',
      last_seen: '2023-01-10 08:00:00',
      external_references: [
        { source_name: 'mitre-attack', external_id: 'S0005', url: 'https://attack.mitre.org/software/S0005', description: 'Windows Credential Editor' },
      ],
    },
    {
      description: 'Mimikatz',
      source: 'MalwareBazaar',
      first_seen: '2021-02-03 10:11:12',
      last_seen: '2024-02-27 06:14:09',
      external_references: [
        { source_name: 'mitre-attack', external_id: 'T1003', url: 'https://attack.mitre.org/techniques/T1003', description: 'OS Credential Dumping' },
        { source_name: 'capec', external_id: 'CAPEC-560', url: 'https://capec.mitre.org/data/definitions/560.html', description: 'Use of Known Domain Credentials' },
        { source_name: 'mitre-attack', external_id: 'S0002', url: 'https://attack.mitre.org/software/S0002', description: 'Mimikatz' },
      ],
    },
  ],
};

/** Scripted answers for `standIn.script(…)`. */
export const MALTIVERSE_FAILURES = {
  unauthorized: { status: 401, body: { status: 'error', message: 'Unauthorized' } },
  rateLimit: { status: 429, headers: { 'retry-after': '1' }, body: { status: 'error', message: 'Too many requests' } },
  serverError: { status: 500, body: { status: 'error', message: 'Internal server error' } },
  notJson: { status: 200, body: '<html><body>Bad gateway</body></html>' },
} satisfies Record<string, Reply>;

export interface MaltiverseStandInOptions {
  /** When set, requests without `Authorization: Bearer <token>` get 401. */
  readonly token?: string;
  /** Port on 127.0.0.1 (default: any free port). */
  readonly port?: number;
  /** Delay before every answer, in ms. */
  readonly delayMs?: number;
}

/**
 * Starts the stand-in on 127.0.0.1: `GET /sample/md5/<md5>`, `/sample/sha1/<sha1>`, `/ip/<ip>`,
 * `/hostname/<name>`, `/url/<sha256 of the URL>` answer the known IoCs above and `{}` for anything
 * unknown (200), like the API. Failures on demand with `script(…)` (MALTIVERSE_FAILURES, 'hang',
 * 'reset'); slow answers with `setDelay` or `delayMs`.
 */
export const startMaltiverseStandIn = (options: MaltiverseStandInOptions = {}): Promise<StandIn> => {
  const known = new Map<string, Ioc>([
    [`/ip/${MALICIOUS_IP}`, IP_ANSWER],
    [`/hostname/${PHISHING_HOSTNAME}`, HOSTNAME_ANSWER],
    [`/url/${sha256(PHISHING_URL)}`, URL_ANSWER],
    [`/sample/md5/${MIMIKATZ_SAMPLE.md5}`, SAMPLE_ANSWER],
    [`/sample/sha1/${MIMIKATZ_SAMPLE.sha1}`, SAMPLE_ANSWER],
  ]);
  const answer = (request: ReceivedRequest): Reply => {
    if (options.token !== undefined && request.headers['authorization'] !== `Bearer ${options.token}`) return MALTIVERSE_FAILURES.unauthorized;
    const path = decodeURIComponent(new URL(request.url, 'http://stand-in').pathname);
    if (!/^\/(sample\/(md5|sha1)|ip|hostname|url)\/[^/]+$/.test(path)) return { status: 404, body: { status: 'error', message: 'Not found' } };
    return { status: 200, body: known.get(path) ?? {} };
  };
  return startStandIn({
    answer,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
  });
};
