// Specs for src/delivery/smtp.ts (SMTP failures as Verdicts): the reply quoted with secrets scrubbed before it is cut.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifySmtpError } from '../../src/delivery/smtp.js';
import { registerSecret } from '../../src/telemetry/log.js';
import { leakedPieces, splitAround } from '../helpers/secret-pieces.js';

const replies = suite('classifySmtpError');
replies('4yz and 503 retried, other 5yz dropped, with the reply code as status', () => {
  assert.equal(classifySmtpError({ responseCode: 451, response: '451 try later' }), { kind: 'retry', reason: 'SMTP 451: 451 try later', status: 451 });
  assert.is(classifySmtpError({ responseCode: 550, response: '550 no such user' }).kind, 'drop');
  assert.is(classifySmtpError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).kind, 'retry');
});
replies('a password echoed at every position around the 200-character cut: not 8 characters of it in a row', () => {
  const password = 'smtpSPLITpassword0123456';
  registerSecret(password);
  for (const { start, text } of splitAround(password, 200)) {
    const verdict = classifySmtpError({ responseCode: 535, response: `535 5.7.8 ${text}` });
    assert.equal(leakedPieces(verdict.kind === 'drop' ? verdict.reason : 'missing', password), [], `password at ${start}`);
  }
});
replies.run();
