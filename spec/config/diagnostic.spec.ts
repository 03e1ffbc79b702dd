// Specs for src/config/diagnostic.ts (A located problem in ossec.conf: what `check` prints as FILE:LINE:COL: severity: message).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { byPosition, formatDiagnostic, type Diagnostic } from '../../src/config/diagnostic.js';

const d = (line: number, column: number, severity: 'error' | 'warning'): Diagnostic => ({ file: 'f', at: { line, column }, severity, message: 'm' });

const format = suite('formatDiagnostic');
format('prints FILE:LINE:COL: severity: message', () => {
  assert.is(formatDiagnostic({ file: '/etc/ossec.conf', at: { line: 3, column: 5 }, severity: 'error', message: 'bad' }), '/etc/ossec.conf:3:5: error: bad');
});
format.run();

const order = suite('byPosition');
order('sorts by line, column, then errors before warnings', () => {
  const sorted = [d(2, 1, 'warning'), d(1, 9, 'error'), d(2, 1, 'error'), d(1, 2, 'warning')].sort(byPosition);
  assert.equal(sorted.map((x) => `${x.at.line}:${x.at.column}:${x.severity}`), ['1:2:warning', '1:9:error', '2:1:error', '2:1:warning']);
});
order.run();
