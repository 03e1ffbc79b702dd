// Specs for src/cli/version.ts (The version of integratord, read from package.json two levels up from src/cli/ and from dist/cli/ alike).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { VERSION } from '../../src/cli/version.js';
import { REPO_ROOT } from '../helpers/spawned-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const version = suite('VERSION');
version('is the version of the package.json at the repository root (under tsx, from src/)', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.is(VERSION, pkg.version);
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
});
version("compiled as the build does into dist/cli/, reads the installed package's package.json, not the cwd's", async () => {
  const dir = await tempDir();
  try {
    const source = readFileSync(join(REPO_ROOT, 'src', 'cli', 'version.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    mkdirSync(join(dir.path, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(dir.path, 'dist', 'cli', 'version.js'), outputText);
    writeFileSync(join(dir.path, 'package.json'), JSON.stringify({ name: 'integratord', version: '9.8.7-spec', type: 'module' }));
    const built = (await import(pathToFileURL(join(dir.path, 'dist', 'cli', 'version.js')).href)) as { VERSION: string };
    assert.is(built.VERSION, '9.8.7-spec');
  } finally {
    await dir.remove();
  }
});
version.run();
