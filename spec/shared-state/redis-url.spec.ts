import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRedisUrl, registerRedisUrl } from '../../src/shared-state/redis-url.js';
import { scrubSecrets } from '../../src/telemetry/log.js';

const test = suite('parseRedisUrl');

test('reads host, port, db and credentials; shows the URL without them', () => {
  const t = parseRedisUrl('redis://app:p%40ss@redis.example:6380/3');
  assert.equal(t, { tls: false, host: 'redis.example', port: 6380, db: 3, username: 'app', password: 'p@ss', shown: 'redis://redis.example:6380/3' });
});

test('defaults: port 6379, db 0; rediss:// is TLS', () => {
  const t = parseRedisUrl('rediss://cache');
  assert.equal([t.tls, t.port, t.db, t.username, t.password], [true, 6379, 0, undefined, undefined]);
});

test('refuses other schemes, a path that is no db number, and never echoes the URL', () => {
  for (const bad of ['http://h:1', 'redis://u:Secr3tPw@h:1/x', 'not a url Secr3tPw']) {
    try {
      parseRedisUrl(bad);
      assert.unreachable(bad);
    } catch (error) {
      assert.is((error as { code?: string }).code, 'INTEGRATORD_USAGE');
      assert.not.match((error as Error).message, /Secr3tPw/);
    }
  }
});

test('registerRedisUrl: the password and the URL are redacted everywhere, the host is not', () => {
  registerRedisUrl('redis://app:Zq8mPassw0rdXyz@redis.example:6380/1');
  assert.is(scrubSecrets('AUTH app Zq8mPassw0rdXyz failed at redis.example'), 'AUTH app **REDACTED** failed at redis.example');
});

test.run();
