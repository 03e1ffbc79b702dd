// Specs for package.json's install-script policy: allowScripts pins exactly what package-lock.json installs.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), 'utf8')) as Record<string, unknown>;
interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly hasInstallScript?: boolean;
}

const policy = suite('allowScripts');
policy('pins every package with an install script to the exact version and tarball package-lock.json has', () => {
  const allow = read('package.json')['allowScripts'] as Record<string, boolean>;
  const packages = read('package-lock.json')['packages'] as Record<string, LockEntry>;
  const scripted = Object.entries(packages).filter(([path, e]) => path !== '' && e.hasInstallScript === true);
  assert.ok(scripted.length >= 2, 'unix-dgram and esbuild have install scripts');
  const expected = Object.fromEntries(scripted.map(([path, e]) => [`${path.slice(path.lastIndexOf('node_modules/') + 13)}@${e.version}`, true]));
  assert.equal(allow, expected, 'name@version keys, nothing unpinned, nothing stale');
  for (const [path, e] of scripted) {
    // npm derives the version it checks a pin against from this URL, never from the tarball's own package.json.
    const name = path.slice(path.lastIndexOf('node_modules/') + 13);
    assert.is(e.resolved, `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${e.version}.tgz`, `${name} has its resolved URL`);
  }
});
policy('keeps resolved URLs when npm rewrites the lockfile (.npmrc), or the pins could not be verified', () => {
  const npmrc = readFileSync(fileURLToPath(new URL('../.npmrc', import.meta.url)), 'utf8');
  assert.match(npmrc, /^omit-lockfile-registry-resolved=false$/m);
});
policy.run();
