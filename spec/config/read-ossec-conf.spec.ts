// Specs for src/config/read-ossec-conf.ts (Streaming SAX read of ossec.conf into raw <integration> records with Wazuh's XML rules).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OssecConfReader, readOssecConf, readOssecConfText } from '../../src/config/read-ossec-conf.js';

const read = suite('readOssecConfText');
read('accumulates <integration> blocks of every <ossec_config> root in file order', () => {
  const r = readOssecConfText('<ossec_config><integration><name>a</name></integration></ossec_config>\n<ossec_config><integration><name>b</name></integration></ossec_config>', 'f');
  assert.equal(r.integrations.map((i) => [i.index, i.elements[0]?.text]), [[0, 'a'], [1, 'b']]);
  assert.equal(r.problems, []);
});
read('records where each element and its text start', () => {
  const r = readOssecConfText('<ossec_config>\n  <integration>\n    <name>slack</name>\n  </integration>\n</ossec_config>', 'f');
  const [block] = r.integrations;
  assert.equal(block?.at, { line: 2, column: 3 });
  assert.equal(block?.elements[0]?.at, { line: 3, column: 5 });
  assert.equal(block?.elements[0]?.textAt, { line: 3, column: 11 });
});
read('keeps text verbatim: whitespace, entities, a bare &, CDATA content', () => {
  const r = readOssecConfText('<ossec_config><integration><name> a &amp; b & c </name><group><![CDATA[x]]></group></integration></ossec_config>', 'f');
  assert.is(r.integrations[0]?.elements[0]?.text, ' a &amp; b & c ');
  assert.is(r.integrations[0]?.elements[1]?.text, 'x');
});
read('gives columns of the original file after & escapes', () => {
  const r = readOssecConfText('<ossec_config><integration><hook_url>a&b&c</hook_url><bad></integration></ossec_config>', 'f');
  assert.equal(r.problems.map((p) => [p.at, p.message.slice(0, 22)]), [[{ line: 1, column: 54 }, 'unclosed element <bad>']]);
});
read('reports a closing tag that matches nothing', () => {
  const r = readOssecConfText('<ossec_config></oops></ossec_config>', 'f');
  assert.equal(r.problems.map((p) => [p.at, p.message]), [[{ line: 1, column: 15 }, 'closing tag </oops> matches no open element (inside <ossec_config> opened at 1:1)']]);
});
read('reports an XML syntax error with its position', () => {
  const r = readOssecConfText('<ossec_config>\n<integration <name>a</name></integration></ossec_config>', 'f');
  assert.ok(r.problems.length > 0);
  assert.is(r.problems[0]?.at.line, 2);
  assert.match(r.problems[0]?.message ?? '', 'XML syntax error');
});
read('reports a file with no element at all (empty, blanks, only comments): a truncated config must not pass as "no integration"', () => {
  for (const text of ['', ' \n\t\n', '<?xml version="1.0"?>\n<!-- nothing yet -->\n']) {
    const r = readOssecConfText(text, 'f');
    assert.equal(r.problems.map((p) => [p.at, p.message]), [[{ line: 1, column: 1 }, 'no <ossec_config> element: the file is empty or holds only comments and blanks']], JSON.stringify(text));
  }
  assert.equal(readOssecConfText('<ossec_config/>', 'f').problems, [], 'an empty root is a valid file without integrations');
});
read('does not crash on binary garbage', () => {
  const r = readOssecConfText('\u0000\u0001<<<>>>&&&;;</a>', 'f');
  assert.ok(r.problems.length > 0);
});
read.run();

const stream = suite('readOssecConf');
stream('streams a file in chunks with the same result as the text reader', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'integratord-conf-'));
  try {
    const body = Array.from({ length: 3000 }, (_, i) => `<integration><name>custom-${i}</name><group>a&b</group></integration>`).join('\n');
    const text = `<ossec_config>\n${body}\n</ossec_config>\n`;
    const file = join(dir, 'ossec.conf');
    await writeFile(file, text);
    const fromFile = await readOssecConf(file);
    assert.equal(fromFile, readOssecConfText(text, file));
    assert.is(fromFile.integrations.length, 3000);
    assert.is(fromFile.integrations[2999]?.elements[1]?.text, 'a&b');
  } finally {
    await rm(dir, { recursive: true });
  }
});
stream('rejects with the fs error when the file is missing', async () => {
  await readOssecConf('/nonexistent/ossec.conf').then(
    () => assert.unreachable(),
    (e: NodeJS.ErrnoException) => assert.is(e.code, 'ENOENT'),
  );
});
stream.run();

const reader = suite('OssecConfReader');
reader('accepts chunks split anywhere, even inside tags and escapes', () => {
  const text = '<ossec_config><integration><name>x&y</name><level>3</level></integration></ossec_config>';
  const r = new OssecConfReader('f');
  for (const ch of text) r.write(ch);
  assert.equal(r.end(), readOssecConfText(text, 'f'));
});
reader('reads a comment of any length (Wazuh has no limit), streamed in chunks, in bounded memory', () => {
  // Before: one 'max buffer length exceeded: comment' error per chunk, and the comment kept whole (150 MB: 4 GB, abort).
  const conf = new OssecConfReader('f');
  conf.write('<!-- ');
  const chunk = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 48; i++) conf.write(chunk);
  conf.write(' -->\n<ossec_config><integration><name>a</name></integration></ossec_config>');
  const r = conf.end();
  assert.equal(r.problems, []);
  assert.is(r.integrations[0]?.elements[0]?.text, 'a');
});
reader.run();

const cdata = suite('OssecConfReader: CDATA');
cdata('a CDATA section is element text verbatim, & and < included', () => {
  const r = readOssecConfText('<ossec_config><integration><template><![CDATA[{{#a}}<b> & &amp; {{/a}}]]></template></integration></ossec_config>', 'x.conf');
  assert.equal(r.problems, []);
  assert.is(r.integrations[0]?.elements[0]?.text, '{{#a}}<b> & &amp; {{/a}}');
});
cdata.run();
