// Specifies package.json as an install sees it: a git install builds, rxjs is a peer, the licence, what the README says it needs.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
interface PackageJson {
  license: string;
  files: string[];
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
}
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The text of one `## ` section of the README, heading excluded. */
const section = (heading: string): string => {
  const start = README.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has a "## ${heading}" section`);
  const body = README.slice(start + heading.length + 5);
  const end = body.indexOf('\n## ');
  return end < 0 ? body : body.slice(0, end);
};

/** Every .ts file under `dir`, recursively. */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
/** The package a bare specifier names: `@scope/name/x` → `@scope/name`, `io-ts/lib/x.js` → `io-ts`. */
const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
/** Packages src/ imports at run time (`import type` is erased; node: builtins and relative paths are not packages). */
const runtimeImports = (): Set<string> => {
  const found = new Set<string>();
  for (const file of sources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(import|export)(\s+type)?[^;]*?\sfrom\s+'([^']+)'|import\('([^'$]+)'\)/gms)) {
      const specifier = m[3] ?? m[4]!;
      if (m[2] !== undefined || specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      found.add(packageOf(specifier));
    }
  }
  return found;
};

const install = suite('package.json: installing from git or a tarball');

install('prepare builds dist/, the bin is in dist/ and dist/ is packed', () => {
  assert.is(PACKAGE.scripts['prepare'], 'npm run -s build', 'a git install runs prepare: the only way it gets dist/');
  assert.match(PACKAGE.scripts['build']!, 'tsc -p tsconfig.json');
  assert.ok(PACKAGE.files.includes('dist'));
  assert.is(PACKAGE.bin['integratord'], 'dist/cli/bin.js');
  assert.match(readFileSync(join(ROOT, '.gitignore'), 'utf8'), /^dist\/$/m, 'dist/ is not in git, hence prepare');
});

install('every package src/ imports at run time is installed for a user: a dependency, a peer or optional', () => {
  const installed = { ...PACKAGE.dependencies, ...PACKAGE.peerDependencies, ...PACKAGE.optionalDependencies };
  const used = runtimeImports();
  assert.ok(used.has('rxjs') && used.has('undici'), `the scan finds imports: ${[...used].join(', ')}`);
  for (const name of used) assert.ok(name in installed, `src/ imports ${name}, which only a development checkout has`);
});

install('rxjs is a peer dependency (^7.8), the version the tests run is inside it, and it is not a dependency', () => {
  assert.is(PACKAGE.peerDependencies?.['rxjs'], '^7.8.0');
  assert.not.ok('rxjs' in PACKAGE.dependencies);
  const [major, minor] = (PACKAGE.devDependencies['rxjs'] ?? '').split('.').map(Number);
  assert.ok(major === 7 && minor! >= 8, `devDependencies rxjs ${PACKAGE.devDependencies['rxjs']} satisfies ^7.8.0`);
  const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'rxjs', 'package.json'), 'utf8')) as { version: string };
  assert.is(installed.version, PACKAGE.devDependencies['rxjs']);
});

install('LICENSE is the GPL version 2 that package.json names', () => {
  assert.is(PACKAGE.license, 'GPL-2.0-only');
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  assert.match(license, /^\s*GNU GENERAL PUBLIC LICENSE\n\s*Version 2, June 1991\n/);
  assert.match(license, 'END OF TERMS AND CONDITIONS');
});

install.run();

const readme = suite('README: what installing and testing need');

readme('the library example names rxjs as a peer dependency and installs it', () => {
  const library = section('Library');
  assert.match(library, 'rxjs (^7.8) is a peer dependency');
  assert.match(library, 'npm install rxjs ');
  assert.match(library, "import { from } from 'rxjs';");
});

readme('says the tests need python3 and curl, and unix-dgram a C++ toolchain', () => {
  for (const text of [README.slice(0, README.indexOf('\n## ')), section('Development')]) {
    assert.match(text, '`python3`');
    assert.match(text, '`curl`');
    assert.match(text, 'C++ toolchain');
    assert.match(text, 'unix-dgram');
  }
  assert.ok('unix-dgram' in (PACKAGE.optionalDependencies ?? {}), 'unix-dgram is optional, as the README says');
  assert.match(section('Development'), '--enrichment-out FILE');
});

readme.run();
