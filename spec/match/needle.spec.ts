// Specs for src/match/needle.ts: a needle found line after line, by its whole text or by its rarer tail.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Needle } from '../../src/match/needle.js';
import { seededRandom } from '../../bench/corpus.js';

const needle = suite('Needle');

/** Every index where `what` starts in `text`, the plain way. */
const allHits = (text: string, what: string): number[] => {
  const hits: number[] = [];
  for (let i = text.indexOf(what); i !== -1; i = text.indexOf(what, i + 1)) hits.push(i);
  return hits;
};

needle('searched by its tail, it finds exactly the hits of the whole needle, near lookalikes ("travel\\"", "evel\\"", "vel\\"") left out', () => {
  const text = 'vel" evel" level" travel":1 {"level":3} lvel" le vel" "level"level"';
  const expected = allHits(text, 'level"');
  for (const head of [0, 1, 2, 5]) {
    const n = new Needle('level"', head);
    n.reset(text);
    const got: number[] = [];
    for (let at = n.from(0); at !== -1; at = n.from(at + 1)) got.push(at);
    assert.equal(got, expected, `head ${head}`);
  }
});

needle('queries in order (as lines are visited) answer like a fresh search, on random texts', () => {
  const r = seededRandom(11);
  const alphabet = ['l', 'e', 'v', '"', ':', ' ', 'level"', 'vel"', '\n'];
  for (let round = 0; round < 200; round++) {
    const text = Array.from({ length: 60 }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    const n = new Needle('level"', 2);
    n.reset(text);
    let from = 0;
    while (from < text.length) {
      const end = from + Math.floor(r() * 20);
      const first = text.indexOf('level"', from);
      assert.is(n.from(from), first, `${JSON.stringify(text)} from ${from}`);
      assert.is(n.within(from, end), first !== -1 && first < end);
      from = end + 1;
    }
  }
});

needle('reset starts over on a new text; a head outside the needle is refused', () => {
  const n = new Needle('level"', 2);
  n.reset('xx level"');
  assert.is(n.from(0), 3);
  assert.is(n.from(4), -1);
  n.reset('level" again');
  assert.is(n.from(0), 0);
  assert.throws(() => new Needle('ab', 2), RangeError);
  assert.throws(() => new Needle('ab', -1), RangeError);
});

needle.run();
