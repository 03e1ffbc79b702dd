// Reliability: the `npm pack` tarball carries dist/, so an install with lifecycle scripts off (npm ci --ignore-scripts) imports and runs.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDirSync } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const tarball = suite('the release tarball');

tarball('npm pack builds dist/ into the tarball; unpacked as npm installs it with scripts off, `import("integratord")` works and delivers nothing wrong', () => {
  const tmp = tempDirSync('tarball');
  try {
    // npm pack runs prepare (the build): the tarball never depends on the installer running scripts.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp.dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]?.files.map((f) => f.path) ?? [];
    for (const needed of ['src/package-entry.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js', 'package.json']) assert.ok(files.includes(needed), `${needed} is in the tarball`);
    assert.not.ok(
      files.some((f) => (f.startsWith('src/') && f !== 'src/package-entry.js') || f.startsWith('spec/')),
      'sources and specs stay out (but the plain-JS entry)',
    );
    // What `npm install --ignore-scripts ./integratord-x.y.z.tgz` does: unpack into node_modules, run nothing. Its
    // dependencies are linked from this checkout's node_modules (the spec never reaches a registry).
    const modules = join(tmp.dir, 'app', 'node_modules');
    const target = join(modules, 'integratord');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(tmp.dir, packed[0]?.filename ?? ''), '-C', target, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
    for (const dep of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]) {
      const dir = join(modules, dep);
      if (!existsSync(dir)) symlinkSync(join(ROOT, 'node_modules', dep), dir);
    }
    const script = `import('integratord').then(async (m) => { const i = await m.createIntegrator({ config: '<ossec_config><integration><name>custom-x</name><hook_url>http://127.0.0.1:9/x</hook_url></integration></ossec_config>', home: process.argv[1], state: process.argv[1] + '/state' }); const c = await i.stop(); console.log(typeof m.createIntegrator, typeof m.IntegratordError, JSON.stringify(c)); })`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, tmp.dir], { cwd: join(tmp.dir, 'app'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.is(out.trim(), 'function function {"delivered":0,"skipped":0,"deadLettered":0,"rejected":0,"stopped":0,"overflowed":0}');
  } finally {
    tmp.remove();
  }
});

tarball.run();
