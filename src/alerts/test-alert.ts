// send-test's synthetic alert: what send-test sends and what every block's templates are rendered on at startup (check, run, replay).

import { hostname } from 'node:os';
import type { Alert } from './alert.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** A synthetic alert in analysisd's shape; every integration finds what it reads. */
export const testAlert = (now = new Date()): Alert => {
  const offset = -now.getTimezoneOffset();
  const zone = `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  const local = new Date(now.getTime() + offset * 60_000).toISOString().replace('Z', zone);
  const host = hostname();
  return {
    timestamp: local,
    rule: {
      level: 12,
      description: 'integratord send-test: if you can read this, the integration works',
      id: '100999',
      firedtimes: 1,
      mail: false,
      // FIM's groups in FIM's order (the syscheck part below): MISP's and OpenCTI's lookups read rule.groups[0] and [2].
      groups: ['ossec', 'integratord', 'syscheck_entry_added', 'syscheck_file', 'test'],
    },
    agent: { id: '000', name: host },
    manager: { name: host },
    id: `${Math.floor(now.getTime() / 1000)}.${now.getTime() % 1000}`,
    full_log: `integratord send-test from ${host} at ${now.toISOString()}`,
    decoder: { name: 'integratord' },
    data: { srcip: '1.1.1.1' },
    syscheck: {
      path: '/tmp/integratord-send-test',
      md5_after: '44d88612fea8a8f36de82e1278abb02f',
      sha1_after: '3395856ce81f2b7382dee72602f798b642f14140',
      sha256_after: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
      event: 'added',
    },
    location: 'integratord',
  };
};
