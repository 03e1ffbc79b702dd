// Specs for src/config/http-header.ts (the one header check shared by <headers> decoding and the HTTP client), and config/'s place below delivery/.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { headerProblem } from '../../src/config/http-header.js';

const problem = suite('headerProblem');
problem('accepts tokens as names and visible ASCII, tab and Latin-1 as values', () => {
  assert.is(headerProblem({ 'X-Tenant': 'soc', Authorization: 'Bearer a\tb', 'x-latin': 'caf\u00e9' }), undefined);
});
problem('refuses a name that is not an HTTP token, without quoting it', () => {
  assert.is(headerProblem({ 'X Tenant': 'soc' }), 'invalid header name');
  assert.is(headerProblem({ 'X-A:': 'soc' }), 'invalid header name');
});
problem('refuses CR, LF and non-Latin-1 values, naming the header and never the value', () => {
  assert.is(headerProblem({ 'X-A': 'secret\r\nX-B: b' }), "invalid value in header 'X-A'");
  assert.is(headerProblem({ 'X-A': 'secret\u20ac' }), "invalid value in header 'X-A'");
  assert.not.match(headerProblem({ 'X-A': 'secret\n' }) ?? '', 'secret');
});
problem.run();

const layering = suite('config layering');
layering('no file of src/config imports delivery/ (delivery sits above config)', () => {
  const dir = join(import.meta.dirname, '../../src/config');
  const offenders = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => /from '\.\.\/(delivery|integrations|pipeline|cli)\//.test(readFileSync(join(dir, f), 'utf8')));
  assert.equal(offenders, []);
});
layering.run();
