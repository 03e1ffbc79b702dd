// Specs for src/config/source-map.ts (Maps offsets in the text fed to sax (prefixed, `&` escaped) back to 1-based line:column of the file).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SourceMap } from '../../src/config/source-map.js';

const map = suite('SourceMap');
map('escapes every & for sax and maps positions back across escapes', () => {
  const m = new SourceMap(3);
  const fed = m.feed('a&b\nx&&y');
  assert.is(fed, 'a&amp;b\nx&amp;&amp;y');
  // fed text is prefixed by 3 characters; 'b' is at fed offset 3 + 6 = 9
  assert.equal(m.position(3 + 6), { line: 1, column: 3 });
  // 'y' on line 2: original offset 7, fed offset 3 + 7 + 4*3 = 22
  assert.equal(m.position(22), { line: 2, column: 4 });
});
map('points at the & itself for offsets inside an escape', () => {
  const m = new SourceMap(0);
  m.feed('a&b');
  assert.equal(m.position(3), { line: 1, column: 2 });
  assert.equal(m.position(5), { line: 1, column: 2 });
});
map('keeps line numbers across chunks', () => {
  const m = new SourceMap(0);
  m.feed('ab\nc');
  m.feed('d\n&e');
  // original: a b \n c d \n & e ; fed: ab\ncd\n&amp;e
  assert.equal(m.position(4), { line: 2, column: 2 });
  assert.equal(m.position(6), { line: 3, column: 1 });
  assert.equal(m.position(11), { line: 3, column: 2 });
});
map.run();
