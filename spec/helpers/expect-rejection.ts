// uvu has no assert.rejects: awaits a promise that must reject and checks the error message.

import * as assert from 'uvu/assert';

/** Fails unless `run()` rejects with an Error whose message matches `pattern` (when given); returns the error. */
export const expectRejection = async (run: () => Promise<unknown>, pattern?: RegExp): Promise<Error> => {
  try {
    await run();
  } catch (error) {
    assert.instance(error, Error);
    if (pattern) assert.match((error as Error).message, pattern);
    return error as Error;
  }
  assert.unreachable('expected a rejection');
  throw new Error('unreachable');
};
