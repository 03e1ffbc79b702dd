// Specs for src/alerts/archives.ts (Wazuh's rotated alert files: logs/alerts/YYYY/Mon/ossec-alerts-DD[-NNN].json[.gz], found and put in date order).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { archivePath, compareArchives, listArchives, MONTHS, parseArchivePath } from '../../src/alerts/archives.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const parse = suite('parseArchivePath');

parse('reads year, month, day, part and compression from logs/alerts/YYYY/Mon/ossec-alerts-DD[-NNN].json[.gz]', () => {
  assert.equal(parseArchivePath('/var/ossec/logs/alerts/2026/Nov/ossec-alerts-28.json'), {
    path: '/var/ossec/logs/alerts/2026/Nov/ossec-alerts-28.json',
    year: 2026,
    month: 11,
    day: 28,
    part: 0,
    compressed: false,
  });
  assert.equal(parseArchivePath('x/2025/Jan/ossec-alerts-03-012.json.gz')?.part, 12);
  assert.ok(parseArchivePath('x/2025/Jan/ossec-alerts-03-012.json.gz')?.compressed);
});

parse('anything else is not an archive: other names, month spelling or layout', () => {
  for (const path of ['x/2026/Nov/alerts.json', 'x/2026/nov/ossec-alerts-01.json', 'x/26/Nov/ossec-alerts-01.json', 'x/2026/Nov/ossec-archive-01.json', 'ossec-alerts-01.json', 'x/2026/Nov/ossec-alerts-1.json']) {
    assert.is(parseArchivePath(path), undefined, path);
  }
});

parse('archivePath builds what parseArchivePath reads', () => {
  for (const month of [1, 5, 12]) {
    const path = archivePath('/r', { year: 2026, month, day: 7, part: 3 }, true);
    assert.match(path, new RegExp(`/r/2026/${MONTHS[month - 1]}/ossec-alerts-07-003\\.json\\.gz$`));
    assert.equal(parseArchivePath(path), { path, year: 2026, month, day: 7, part: 3, compressed: true });
  }
});

parse.run();

const list = suite('listArchives / compareArchives');

list('lists every archive under the root in date order, then part order, the un-numbered file of a day first', async () => {
  const { dir, remove } = tempDirSync('archives');
  try {
    const names = [
      '2025/Dec/ossec-alerts-31.json.gz',
      '2026/Feb/ossec-alerts-01.json',
      '2026/Jan/ossec-alerts-10-002.json',
      '2026/Jan/ossec-alerts-10.json.gz',
      '2026/Jan/ossec-alerts-10-001.json',
      '2026/Jan/ossec-alerts-09.json',
      '2026/Jan/notes.txt',
      '2026/Nov/alerts.json',
      'other/Jan/ossec-alerts-01.json',
    ];
    for (const name of names) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), '');
    }
    const found = await listArchives(dir);
    assert.equal(
      found.map((a) => a.path.slice(dir.length + 1)),
      ['2025/Dec/ossec-alerts-31.json.gz', '2026/Jan/ossec-alerts-09.json', '2026/Jan/ossec-alerts-10.json.gz', '2026/Jan/ossec-alerts-10-001.json', '2026/Jan/ossec-alerts-10-002.json', '2026/Feb/ossec-alerts-01.json'],
    );
  } finally {
    remove();
  }
});

list('a day present both plain and .gz (being compressed) is listed once, as the plain file', async () => {
  const { dir, remove } = tempDirSync('archives');
  try {
    mkdirSync(join(dir, '2026', 'Nov'), { recursive: true });
    writeFileSync(join(dir, '2026/Nov/ossec-alerts-01.json.gz'), '');
    writeFileSync(join(dir, '2026/Nov/ossec-alerts-01.json'), '');
    const found = await listArchives(dir);
    assert.equal(found.map((a) => a.compressed), [false]);
  } finally {
    remove();
  }
});

list('a missing root lists nothing', async () => {
  assert.equal(await listArchives('/nonexistent/integratord/logs/alerts'), []);
});

list('compareArchives orders by year, month, day, part, plain before .gz', () => {
  const a = parseArchivePath('r/2026/Mar/ossec-alerts-02.json')!;
  const b = parseArchivePath('r/2026/Mar/ossec-alerts-02.json.gz')!;
  const c = parseArchivePath('r/2026/Mar/ossec-alerts-02-001.json')!;
  const d = parseArchivePath('r/2026/Apr/ossec-alerts-01.json')!;
  assert.equal([d, c, b, a].sort(compareArchives), [a, b, c, d]);
});

list.run();
