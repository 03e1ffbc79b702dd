// Specs for src/alerts/source-line.ts (The shapes every alert line source shares: a line with its byte position, the end marker, rejections).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { END_OF_LINES, isEndOfLines } from '../../src/alerts/source-line.js';

const end = suite('isEndOfLines');

end('is true only for the END_OF_LINES marker, not for lines or look-alikes', () => {
  assert.ok(isEndOfLines(END_OF_LINES));
  for (const value of [undefined, null, '', { text: 'x' }, Symbol('integratord.end-of-lines')]) assert.not.ok(isEndOfLines(value));
});

end.run();
