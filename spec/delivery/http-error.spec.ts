// Specs for src/delivery/http-error.ts (Why a request got no HTTP answer: stable codes, and the mapping of whatever undici or the socket layer throws to them).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toHttpError } from '../../src/delivery/http-error.js';

const mapping = suite('toHttpError');
mapping('maps socket codes, including those inside an AggregateError', () => {
  assert.is(toHttpError(Object.assign(new Error('x'), { code: 'ECONNRESET' })).code, 'HTTP_CONNECTION_RESET');
  assert.is(toHttpError(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })])).code, 'HTTP_CONNECTION_REFUSED');
  assert.is(toHttpError(Object.assign(new Error('x'), { code: 'ENOTFOUND' })).code, 'HTTP_DNS');
  assert.is(toHttpError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })).code, 'HTTP_TIMEOUT');
  assert.is(toHttpError('weird').code, 'HTTP_NETWORK');
});
mapping.run();
