// Specs for src/silences/silence-file.ts (STATE/silences.json: read without following symlinks, replaced atomically).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Silence } from '../../src/silences/silence.js';
import { EXPIRED_KEPT_MS, parseSilences, readSilences, silencesPath, writeSilences } from '../../src/silences/silence-file.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const silenceOf = (id: string, expires: number, extra: Partial<Silence> = {}): Silence => ({
  id,
  matchers: [{ field: 'rule.id', value: '5710' }],
  created_at: new Date(NOW - 3_600_000).toISOString(),
  expires_at: new Date(expires).toISOString(),
  comment: `c ${id}`,
  ...extra,
});

const file = suite('silences file');
file('no file is no silence', async () => {
  const dir = await tempDir();
  try {
    assert.equal(await readSilences(dir.path), { silences: [], problems: [] });
    assert.equal(await readSilences(join(dir.path, 'missing')), { silences: [], problems: [] });
  } finally {
    await dir.remove();
  }
});
file('writes mode 0600 with no temp file left, and reads back what it wrote', async () => {
  const dir = await tempDir();
  try {
    const written = [silenceOf('a', NOW + 1000, { block: 'slack-1a2b3c4d', created_by: 'wazuh' }), silenceOf('b', NOW + 5000)];
    await writeSilences(dir.path, written, NOW);
    assert.is((await stat(silencesPath(dir.path))).mode & 0o777, 0o600);
    assert.equal(await readdir(dir.path), ['silences.json']);
    assert.equal((await readSilences(dir.path)).silences, written);
    assert.ok(JSON.parse(await readFile(silencesPath(dir.path), 'utf8')).silences.length === 2);
  } finally {
    await dir.remove();
  }
});
file('drops silences expired for more than 7 days when it writes; recently expired ones stay listed', async () => {
  const dir = await tempDir();
  try {
    await writeSilences(dir.path, [silenceOf('old', NOW - EXPIRED_KEPT_MS - 1), silenceOf('recent', NOW - 1000), silenceOf('active', NOW + 1000)], NOW);
    assert.equal((await readSilences(dir.path)).silences.map((s) => s.id), ['recent', 'active']);
  } finally {
    await dir.remove();
  }
});
file('a symlink in place of the file is refused (ELOOP), never followed', async () => {
  const dir = await tempDir();
  try {
    await writeFile(join(dir.path, 'elsewhere.json'), JSON.stringify({ silences: [silenceOf('planted', NOW + 1000)] }));
    await symlink(join(dir.path, 'elsewhere.json'), silencesPath(dir.path));
    await readSilences(dir.path).then(
      () => assert.unreachable('read through a symlink'),
      (error: NodeJS.ErrnoException) => assert.is(error.code, 'ELOOP'),
    );
  } finally {
    await dir.remove();
  }
});
file.run();

const parsing = suite('parseSilences');
parsing('a record that is not a silence is left out with its reason; the others stay', () => {
  const good = silenceOf('good', NOW + 1000);
  const text = JSON.stringify({ silences: [good, 'x', { id: 'nomatch', matchers: [], created_at: good.created_at, expires_at: good.expires_at }, { ...good, id: 'badtime', expires_at: 'soon' }, { ...good, id: 'badmatch', matchers: [{ field: 'rule.id', value: 5710 }] }] });
  const { silences, problems } = parseSilences(text);
  assert.equal(silences, [good]);
  assert.equal(problems, [
    'not an object',
    'nomatch: matchers must be a non-empty list of {field, value} strings',
    'badtime: created_at and expires_at must be ISO 8601 times',
    'badmatch: matchers must be a non-empty list of {field, value} strings',
  ]);
});
parsing('a text that is not JSON or not {"silences":[…]} is an error', () => {
  assert.throws(() => parseSilences('{"silences":'), /not JSON/);
  assert.throws(() => parseSilences('[]'), /not \{"silences":\[…\]\}/);
});
parsing.run();
