// Specs for src/package-entry.js, the package's entry: a git checkout installed without scripts fails with the cause and the fix.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDirSync } from './helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRY = join(ROOT, 'src', 'package-entry.js');

/**
 * What `npm install --ignore-scripts <git URL>` leaves in an app: the checkout's committed files (package.json,
 * src/…) under node_modules/integratord and no dist/, since `prepare` never ran.
 */
const unbuiltInstall = (dir: string): string => {
  const target = join(dir, 'app', 'node_modules', 'integratord');
  mkdirSync(target, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(target, 'package.json'));
  mkdirSync(join(target, 'src'));
  cpSync(ENTRY, join(target, 'src', 'package-entry.js'));
  return join(dir, 'app');
};

const entry = suite('src/package-entry.js');

entry('package.json resolves the package to this entry, its types to dist/ and packs the entry beside dist/', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; types: string; exports: Record<string, Record<string, string>>; files: string[] };
  assert.is(manifest.main, 'src/package-entry.js');
  assert.equal(manifest.exports['.'], { types: './dist/index.d.ts', default: './src/package-entry.js' });
  assert.is(manifest.types, 'dist/index.d.ts');
  assert.ok(manifest.files.includes('src/package-entry.js') && manifest.files.includes('dist'));
});

entry('exports by name every value src/index.ts exports, no more and no fewer', async () => {
  const text = readFileSync(ENTRY, 'utf8');
  const block = /export const \{([^}]*)\} = library;/.exec(text)?.[1];
  assert.ok(block !== undefined, 'one `export const { … } = library;`');
  const names = block.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const api = (await import('../src/index.js')) as Record<string, unknown>;
  assert.equal([...names].sort(), Object.keys(api).sort());
});

entry('a git checkout installed with scripts off: import() fails with an Error naming the missing dist/ and both fixes', () => {
  const tmp = tempDirSync('unbuilt');
  try {
    const app = unbuiltInstall(tmp.dir);
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('integratord')"], { cwd: app, encoding: 'utf8' });
    assert.is.not(run.status, 0, 'the import fails');
    assert.not.match(run.stderr, 'ERR_MODULE_NOT_FOUND');
    assert.match(run.stderr, 'Error: integratord is not built:');
    assert.match(run.stderr, join(app, 'node_modules', 'integratord', 'dist', 'index.js'));
    assert.match(run.stderr, '--ignore-scripts');
    assert.match(run.stderr, 'npm install ./integratord-X.Y.Z.tgz');
    assert.match(run.stderr, `cd ${join(app, 'node_modules', 'integratord')}/ && npm install && npm run build`);
  } finally {
    tmp.remove();
  }
});

entry('the same from CommonJS: require() fails with the same Error, not a bare MODULE_NOT_FOUND', () => {
  const tmp = tempDirSync('unbuilt-cjs');
  try {
    const app = unbuiltInstall(tmp.dir);
    const run = spawnSync(process.execPath, ['-e', "try { require('integratord') } catch (e) { console.log(e.constructor.name, e.code ?? '-', e.message) }"], { cwd: app, encoding: 'utf8' });
    assert.is(run.status, 0);
    assert.match(run.stdout, /^Error - integratord is not built: /);
    assert.match(run.stdout, 'npm run build');
  } finally {
    tmp.remove();
  }
});

entry.run();
