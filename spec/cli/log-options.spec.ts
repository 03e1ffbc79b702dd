// Specs for src/cli/log-options.ts (The logging options of the long-running commands (-d, --log-format, --log-file) and their setup).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_OPTIONS, setUpLogging } from '../../src/cli/log-options.js';
import { parseOptions } from '../../src/cli/parse-options.js';
import { IntegratordError } from '../../src/errors.js';
import { configureLog, createLogger, log, type Logger } from '../../src/telemetry/log.js';
import { captureIo } from '../helpers/capture-io.js';
import { eventually } from '../helpers/eventually.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const setUp = suite('setUpLogging');
let previous: Logger;
let dir: { dir: string; remove: () => void };
setUp.before.each(() => {
  previous = configureLog(createLogger());
  dir = tempDirSync('log-options');
});
setUp.after.each(() => {
  configureLog(previous);
  dir.remove();
});

const parsed = (...argv: string[]) => parseOptions(argv, LOG_OPTIONS).values;

setUp('counts -d flags as the debug level, at most 2', () => {
  const io = captureIo();
  assert.is(setUpLogging(parsed(), io.stderr).debug, 0);
  assert.is(setUpLogging(parsed('-d'), io.stderr).debug, 1);
  assert.is(setUpLogging(parsed('-dd'), io.stderr).debug, 2);
  assert.is(setUpLogging(parsed('-d', '-d', '-d', '--debug'), io.stderr).debug, 2);
  log.debug2('shown at -dd');
  assert.match(io.err(), 'integratord: DEBUG: shown at -dd');
});

setUp("writes Wazuh's human lines to stderr by default, JSON objects with --log-format json", async () => {
  const human = captureIo();
  setUpLogging(parsed(), human.stderr);
  log.info('hello', { block: 0 });
  log.debug('hidden');
  assert.match(human.err(), /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d integratord: INFO: hello block=0\n$/);
  const json = captureIo();
  setUpLogging(parsed('--log-format', 'json'), json.stderr);
  log.warning('careful', { block: 1 });
  assert.equal({ ...(JSON.parse(json.err()) as object), time: 't' }, { time: 't', level: 'warning', program: 'integratord', message: 'careful', block: 1 });
});

setUp('refuses another --log-format with a usage error', () => {
  try {
    setUpLogging(parsed('--log-format', 'xml'), captureIo().stderr);
    assert.unreachable('expected a usage error');
  } catch (error) {
    assert.instance(error, IntegratordError);
    assert.is((error as IntegratordError).code, 'INTEGRATORD_USAGE');
    assert.match((error as Error).message, "--log-format expects human or json, got 'xml'");
  }
});

setUp('--log-file appends (mode 0640 when new), nothing goes to stderr, close() flushes', async () => {
  const file = join(dir.dir, 'integratord.log');
  writeFileSync(file, 'earlier line\n', { mode: 0o640 });
  const io = captureIo();
  const logging = setUpLogging(parsed('--log-file', file), io.stderr);
  log.info('one');
  await logging.close();
  assert.match(readFileSync(file, 'utf8'), /^earlier line\n.*integratord: INFO: one\n$/);
  assert.is(io.err(), '');
  const fresh = join(dir.dir, 'fresh.log');
  const other = setUpLogging(parsed('--log-file', fresh), io.stderr);
  log.info('two');
  await other.close();
  assert.is(statSync(fresh).mode & 0o777, 0o640 & ~process.umask());
});

setUp('reopen() after a rename (logrotate) writes the next lines to a new file at the same path', async () => {
  const file = join(dir.dir, 'integratord.log');
  const logging = setUpLogging(parsed('--log-file', file), captureIo().stderr);
  log.info('before');
  await eventually(() => existsSync(file) && readFileSync(file, 'utf8').includes('before'), 'the first line');
  renameSync(file, `${file}.1`);
  logging.reopen();
  log.info('after');
  await logging.close();
  assert.match(readFileSync(`${file}.1`, 'utf8'), /INFO: before\n$/);
  assert.match(readFileSync(file, 'utf8'), /^[^\n]*INFO: after\n$/);
});

setUp('a log file that cannot be opened is reported on stderr, not thrown', async () => {
  const io = captureIo();
  const logging = setUpLogging(parsed('--log-file', join(dir.dir, 'missing', 'x.log')), io.stderr);
  log.info('lost');
  await eventually(() => io.err().includes('cannot write the log file'), 'the report');
  assert.match(io.err(), /integratord: cannot write the log file .*missing\/x\.log: ENOENT/);
  await logging.close();
});

setUp.run();
