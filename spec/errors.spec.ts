// Specs for src/errors.ts: error classes with stable codes, and the one errorMessage and errorCode helpers.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { errorCode, errorMessage, IntegratordError } from '../src/errors.js';

const errors = suite('IntegratordError');
errors('carries a stable code and its cause', () => {
  const cause = new Error('ENOENT');
  const e = new IntegratordError('INTEGRATORD_CONFIG', 'cannot read x', { cause });
  assert.instance(e, Error);
  assert.is(e.code, 'INTEGRATORD_CONFIG');
  assert.is(e.cause, cause);
  assert.is(e.name, 'IntegratordError');
});
errors.run();

const helpers = suite('errorMessage and errorCode');
helpers('errorMessage is the message of an Error, the text of anything else', () => {
  assert.is(errorMessage(new TypeError('bad')), 'bad');
  assert.is(errorMessage('plain'), 'plain');
  assert.is(errorMessage(undefined), 'undefined');
});
helpers('errorCode is the errno code, or the text of anything else', () => {
  assert.is(errorCode(Object.assign(new Error('x'), { code: 'EISDIR' })), 'EISDIR');
  assert.is(errorCode(new Error('plain')), 'Error: plain');
  assert.is(errorCode(undefined), 'undefined');
});
helpers.run();
