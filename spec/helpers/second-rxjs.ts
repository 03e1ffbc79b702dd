// A second, separate copy of rxjs for specs: what an app that brings its own rxjs hands to the library.

import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from './spawned-cli.js';

/**
 * Copies the installed rxjs (its CommonJS build, what Node loads) into DIR/node_modules/rxjs under
 * another version number and loads it from there: a module instance of its own, so its Observable
 * is not ours (`instanceof` fails) as with an app's rxjs 7.5. Its tslib is the repository's.
 */
export const loadSecondRxjs = (dir: string): typeof import('rxjs') => {
  const from = join(REPO_ROOT, 'node_modules', 'rxjs');
  const to = join(dir, 'node_modules', 'rxjs');
  mkdirSync(join(to, 'dist'), { recursive: true });
  cpSync(join(from, 'dist', 'cjs'), join(to, 'dist', 'cjs'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(to, 'package.json'), JSON.stringify({ ...manifest, version: '7.5.7-second-copy' }));
  symlinkSync(join(REPO_ROOT, 'node_modules', 'tslib'), join(dir, 'node_modules', 'tslib'), 'dir');
  return createRequire(join(dir, 'app.js'))('rxjs') as typeof import('rxjs');
};
