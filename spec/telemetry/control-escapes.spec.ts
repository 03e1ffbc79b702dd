// Specs for src/telemetry/control-escapes.ts (control characters made visible: text from alerts stays on one line).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeControls } from '../../src/telemetry/control-escapes.js';

const escape = suite('escapeControls');
escape('writes newline, CR and tab by name and the other C0 characters, DEL and C1 as \\xHH', () => {
  assert.is(escapeControls('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.is(escapeControls('\u0000\u0001\u001b[31m\u001f\u007f'), '\\x00\\x01\\x1b[31m\\x1f\\x7f');
  assert.is(escapeControls('\u0080\u0085\u009b\u009f'), '\\x80\\x85\\x9b\\x9f');
});
escape('writes the Unicode line and paragraph separators as \\u2028 and \\u2029', () => {
  assert.is(escapeControls('a\u2028b\u2029c'), 'a\\u2028b\\u2029c');
});
escape('leaves ordinary text alone: spaces, backslashes, quotes, non-ASCII letters, U+00A0 and up', () => {
  const text = 'C:\\Windows\\system32 "quoted" é ü 日本 \u00a0 \u00ff \u2027 \u202a';
  assert.is(escapeControls(text), text);
});
escape('gives the same answer when called again (no state left in the pattern)', () => {
  assert.is(escapeControls('x\n'), 'x\\n');
  assert.is(escapeControls('x\n'), 'x\\n');
  assert.is(escapeControls('plain'), 'plain');
});
escape.run();
