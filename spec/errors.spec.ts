// Specs for src/errors.ts (Error classes with stable codes: callers check `code`, never the message).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { IntegratordError } from '../src/errors.js';

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
