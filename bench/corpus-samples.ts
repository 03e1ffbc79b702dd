// Seeded generator of ~900-byte alerts shaped like the 18 real ones in spec/fixtures/wazuh-alert-samples.jsonl.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './corpus.js';

type Random = () => number;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SAMPLES = fileURLToPath(new URL('../spec/fixtures/wazuh-alert-samples.jsonl', import.meta.url));

/**
 * How often each sample line (1-based) is the shape of an alert: FIM, sshd/PAM, web, Windows and the
 * nested integration answers (VirusTotal, AWS, Office 365) mixed as a manager sees them, the longer
 * shapes rarer so that the mean line is ~900 bytes.
 */
const WEIGHTS: Readonly<Record<number, number>> = {
  1: 5, 2: 1, 3: 4, // FIM: added, modified (long), added in a cluster
  4: 3, 5: 12, 6: 12, 13: 8, // sshd brute force (previous_output), failed password, invalid user; PAM
  7: 7, 8: 7, 14: 10, // web: SQL injection, XSS; squid
  9: 3, // Windows logon failure (long message)
  10: 7, 16: 8, 18: 8, // local JSON rule, small JSON, manager started
  11: 1, // a Java stack trace (trimmed below)
  12: 5, // rootcheck
  15: 2, 17: 3, // VirusTotal, nested data
};

/** The highest level the corpus reaches: `<level>16</level>` takes nothing, `<level>13</level>` a few (~0.6%). */
export const SAMPLES_MAX_LEVEL = 15;

const HEX = /\b[0-9a-f]{16,64}\b/g;
const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
const USERS = ['root', 'admin', 'oracle', 'test', 'ubuntu', 'jdoe', 'svc_backup', 'postgres', 'deploy', 'ana'];

const int = (r: Random, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const hex = (r: Random, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};

/** Every string's hashes and IPv4 addresses replaced, user names swapped: no two alerts alike. */
const varyText = (r: Random, text: string, user: string): string =>
  text
    .replace(HEX, (h) => hex(r, h.length))
    .replace(IPV4, (ip, a: string) => (a === '10' || a === '192' || a === '172' || a === '127' || ip.startsWith('0.') ? `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}` : `${int(r, 1, 223)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`))
    .replace(/\b(root|admin|Administrator|test|ubuntu)\b/g, user);

/** Long texts (logs, stack traces, Windows messages) cut to 200–400 characters. */
const trimmed = (r: Random, text: string): string => (text.length > 400 ? text.slice(0, int(r, 200, 400)) : text);

const vary = (r: Random, value: Json, user: string): Json => {
  if (typeof value === 'string') return varyText(r, trimmed(r, value), user);
  if (typeof value === 'number') return Number.isInteger(value) && value > 1 ? int(r, 1, value * 3) : value;
  if (Array.isArray(value)) return value.map((v) => vary(r, v, user));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = vary(r, v, user);
    return out;
  }
  return value;
};

/** Mostly the sample's own level; 10% spread over 1–12, 0.6% critical (13–15). */
const levelFor = (r: Random, own: number): number => {
  const x = r();
  if (x < 0.006) return int(r, 13, SAMPLES_MAX_LEVEL);
  if (x < 0.106) return int(r, 1, 12);
  return own;
};

const loadShapes = (): { shape: Record<string, Json>; weight: number }[] =>
  readFileSync(SAMPLES, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => ({ shape: JSON.parse(l) as Record<string, Json>, weight: WEIGHTS[i + 1] ?? 0 }))
    .filter((s) => s.weight > 0);


/** `count` alert lines (no newline) in analysisd's key order, deterministic for a seed. */
export function* generateSampleAlertLines(count: number, seed = 1): Generator<string> {
  const r = seededRandom(seed);
  const shapes = loadShapes();
  const total = shapes.reduce((n, s) => n + s.weight, 0);
  for (let n = 0; n < count; n++) {
    let x = r() * total;
    let chosen = shapes[0] as (typeof shapes)[number];
    for (const s of shapes) {
      chosen = s;
      if ((x -= s.weight) < 0) break;
    }
    const user = USERS[int(r, 0, USERS.length - 1)] as string;
    const alert = vary(r, chosen.shape, user) as Record<string, Json>;
    const rule = alert['rule'] as Record<string, Json>;
    const own = (chosen.shape['rule'] as Record<string, Json>)['level'] as number;
    rule['level'] = levelFor(r, own); // in place: "level" stays rule's first key, as analysisd writes it
    rule['mail'] = (rule['level'] as number) >= 12;
    alert['timestamp'] = new Date(Date.UTC(2026, 10, 1) + n * 37 + int(r, 0, 36)).toISOString().replace('Z', '+0000');
    alert['id'] = `${1764291600 + Math.floor(n / 1000)}.${n}`;
    const agent = alert['agent'] as Record<string, Json>;
    if (agent['id'] !== '000') Object.assign(agent, { id: String(int(r, 1, 400)).padStart(3, '0'), name: `${agent['name'] as string}-${int(r, 1, 99)}` });
    yield JSON.stringify(alert);
  }
}
