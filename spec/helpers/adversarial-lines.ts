// Lines that try to fool a text-level prefilter: escapes, duplicate keys, odd spacing, wrong types.

import { generateAlert, seededRandom } from '../../bench/corpus.js';

type Alert = Record<string, unknown>;
type Mutation = (alert: Alert, line: string) => string;

const rule = (a: Alert) => a['rule'] as Alert;
const withRule = (a: Alert, patch: Alert) => JSON.stringify({ ...a, rule: { ...rule(a), ...patch } });

const MUTATIONS: readonly Mutation[] = [
  (_a, line) => line.replace(/":/g, '": ').replace(/,"/g, ', "'),
  (a) => JSON.stringify({ rule: rule(a), ...a }),
  (_a, line) => `${line.slice(0, -1)},"rule":{"level":15,"id":"5712","groups":["sshd","syscheck"]}}`,
  (_a, line) => `${line.slice(0, -1)},"rule":{"description":"no level"}}`,
  (_a, line) => line.replace('"rule":{"level":', '"rule":{"level":1,"level":'),
  (a, line) => (rule(a)['level'] === undefined ? line : line.replace(/"rule":\{"level":(\d+)/, '"rule":{"level":$1,"description":"x","level":14')),
  (_a, line) => line.replace('"rule":', '"r\\u0075le":'),
  (_a, line) => line.replace('"level":', '"\\u006cevel":'),
  (_a, line) => line.replace(/"groups":\["([a-z])/, '"groups":["\\u00$1'.replace('$1', '73')),
  (_a, line) => line.replace('"sshd"', '"\\u0073shd"'),
  (_a, line) => line.replace(/"id":"(\d+)"/, '"id":"\\u0035$1"'),
  (a) => withRule(a, { id: Number(rule(a)['id']) }),
  (a) => withRule(a, { level: String(rule(a)['level'] ?? 3) }),
  (a) => withRule(a, { level: -3 }),
  (a) => withRule(a, { level: 12.7 }),
  (a) => withRule(a, { level: 1e12 }),
  (a) => withRule(a, { id: ` +0${String(rule(a)['id'])}abc` }),
  (a) => withRule(a, { id: `4294972008` }),
  (a) => withRule(a, { groups: ['', ' sshd', 'web/attack', null, 7] }),
  (a) => withRule(a, { groups: 'sshd' }),
  (a) => withRule(a, { groups: ['café', 'authentification_échouée'] }),
  (a) => withRule(a, { groups: ['cafe\u0301'] }),
  (a) => JSON.stringify({ ...a, rule: null }),
  (a) => JSON.stringify({ ...a, rule: ['sshd', 5712] }),
  (a) => {
    const { rule: _dropped, ...rest } = a;
    return JSON.stringify(rest);
  },
  (a) => JSON.stringify({ ...a, location: 42 }),
  (_a, line) => line.slice(0, Math.floor(line.length / 2)),
  (_a, line) => `${line} `,
  (_a, line) => line.replace('"timestamp":"', '"timestamp":"\\"x'),
  (_a, line) => line.replace(/"data":\{/, '"data":{"level":15,"rule":{"level":15},'),
  (a) => withRule(a, { groups: ['web/attack', 'sshd'] }).replace('web/attack', 'web\\/attack'),
  (a) => withRule(a, { description: 'he said "level": 15 and "sshd" 5712' }),
  (_a, line) => line.replace(/"level":(\d+)/, '"level":0$1'),
  (_a, line) => line.replace('"location":', '"level" :15,"location":'),
  (_a, line) => line.replace('"location":', '"rule":{"level":-1},"location":'),
  (_a, line) => line.replace('"location":', '"rule":{"level":"15","id":"5712"},"location":'),
  (_a, line) => line.replace('"location":', '"data2":{"level":15},"location":'),
  // Lookalikes of the "level" key the prefilter searches by its tail `vel"`: they must neither hide nor fake a level.
  (a) => withRule(a, { travel: 15, gravel: 'x', vel: 15, evel: 15 }),
  (a, line) => (rule(a)['level'] === undefined ? line : line.replace(/"rule":\{"level":(\d+)/, '"rule":{"level":$1,"xlevel":15,"lvel":15,"level\\"":15')),
  (_a, line) => line.replace('"location":', '"rule":{"travel":1,"level":15},"location":'),
  (_a, line) => line.replace('"rule":{"level":', '"rule":{"le\\u0076el":15,"level":'),
  () => '{}',
  () => '[]',
  () => 'null',
  () => '',
  () => '\u0000\u0000',
  () => '{"rule":{"level":12,"id":"5712","groups":["sshd"]},"location":"/var/log/auth.log"}',
  () => '{"timestamp":"t","rule":{"level":12,"id":"5712","groups":["sshd"]}}',
];

/** `count` lines: every mutation applied to fresh realistic alerts, deterministic for a seed. */
export const adversarialLines = (count: number, seed = 7): string[] => {
  const r = seededRandom(seed);
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    const alert = generateAlert(r, n);
    const mutation = MUTATIONS[n % MUTATIONS.length] as Mutation;
    lines.push(mutation(alert, JSON.stringify(alert)));
  }
  return lines;
};

export const MUTATION_COUNT = MUTATIONS.length;
