// Specs for src/cli/parse-options.ts (Wraps node:util parseArgs so that every command reports usage errors the same way).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { blockNumber, HOME_OPTIONS, parseOptions, positiveNumber } from '../../src/cli/parse-options.js';
import { IntegratordError } from '../../src/errors.js';

/** Runs `fn`, which must throw an INTEGRATORD_USAGE error; returns its message. */
const usageError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.instance(error, IntegratordError);
    assert.is((error as IntegratordError).code, 'INTEGRATORD_USAGE');
    return (error as Error).message;
  }
  assert.unreachable('expected a usage error');
  return '';
};

const parse = suite('parseOptions');
parse('parses the options every home command takes, with their defaults', () => {
  assert.equal({ ...parseOptions([], HOME_OPTIONS).values }, { home: '/var/ossec', help: false });
  const { values } = parseOptions(['--home', '/h', '-c', '/c.conf', '-h'], HOME_OPTIONS);
  assert.equal({ ...values }, { home: '/h', config: '/c.conf', help: true });
});
parse('turns every parseArgs complaint into a usage error: unknown flag, missing value, positional', () => {
  assert.match(usageError(() => parseOptions(['--bogus'], HOME_OPTIONS)), "Unknown option '--bogus'");
  assert.match(usageError(() => parseOptions(['--home'], HOME_OPTIONS)), "Option '--home <value>' argument missing");
  assert.match(usageError(() => parseOptions(['file.json'], HOME_OPTIONS)), "Unexpected argument 'file.json'");
  assert.equal(parseOptions(['a.json', '--home', '/h', 'b.json'], HOME_OPTIONS, true).positionals, ['a.json', 'b.json']);
});
parse.run();

const numbers = suite('positiveNumber / blockNumber');
numbers('takes positive numbers, integers unless told otherwise; undefined stays undefined', () => {
  assert.is(positiveNumber('rate', undefined), undefined);
  assert.is(positiveNumber('concurrency', '4'), 4);
  assert.is(positiveNumber('rate', '2.5', false), 2.5);
  assert.is(positiveNumber('rate', '1e3'), 1000);
});
numbers('names the option and the value it refuses', () => {
  assert.is(usageError(() => positiveNumber('concurrency', '2.5')), "--concurrency expects a positive integer, got '2.5'");
  assert.is(usageError(() => positiveNumber('grace', '0', false)), "--grace expects a positive number, got '0'");
  for (const bad of ['-1', 'abc', '', 'Infinity', 'NaN']) usageError(() => positiveNumber('rate', bad, false));
});
numbers('reads a block number as digits only', () => {
  assert.is(blockNumber('0'), 0);
  assert.is(blockNumber('12'), 12);
  for (const bad of ['-1', '1.0', '', ' 1', '1e2', 'x']) {
    assert.is(usageError(() => blockNumber(bad)), `--block expects a block number (0, 1, …), got '${bad}'`);
  }
});
numbers.run();
