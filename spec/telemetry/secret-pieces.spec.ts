// Specs for src/telemetry/secret-pieces.ts (every run of 8 characters of a secret redacted where part of a token is echoed).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addSecretPieces, scrubSecretPieces } from '../../src/telemetry/secret-pieces.js';
import { leakedPieces } from '../helpers/secret-pieces.js';

const TOKEN = 'PIECESspecTOKEN0123456789';
addSecretPieces(TOKEN);
addSecretPieces('https://hooks.example.com/services/T/B/whole-url-not-split');

const scrub = suite('scrubSecretPieces');
scrub('a token echoed cut short, or its middle, is redacted; the text around it stays', () => {
  for (const part of [TOKEN.slice(0, 12), TOKEN.slice(5, 19), TOKEN.slice(-9), TOKEN]) {
    const out = scrubSecretPieces(`invalid token "${part}" given`);
    assert.is(out, 'invalid token "**REDACTED**" given', part);
    assert.equal(leakedPieces(out, TOKEN), []);
  }
});
scrub('two echoes are redacted apart; fewer than 8 characters of a secret are not a piece', () => {
  assert.is(scrubSecretPieces(`a ${TOKEN.slice(0, 10)} b ${TOKEN.slice(10, 20)} c`), 'a **REDACTED** b **REDACTED** c');
  assert.is(scrubSecretPieces(`short ${TOKEN.slice(0, 7)} echo`), `short ${TOKEN.slice(0, 7)} echo`);
});
scrub('a value with a slash (a URL) is not cut into pieces, nor the email of an email:token key: host, path and address names are not secret', () => {
  addSecretPieces('analyst@corp-example.com:JIRAapiTOKEN123');
  assert.is(scrubSecretPieces('POST https://hooks.example.com/services failed'), 'POST https://hooks.example.com/services failed');
  assert.is(scrubSecretPieces('user analyst@corp-example.com: token JIRAapiTOK… refused'), 'user analyst@corp-example.com: token **REDACTED**… refused');
});
scrub.run();
