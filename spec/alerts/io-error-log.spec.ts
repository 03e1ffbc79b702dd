// Specs for src/alerts/io-error-log.ts (Logs the I/O errors of a followed file once per distinct error (not once per retry), and the recovery).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { IoErrorLog } from '../../src/alerts/io-error-log.js';
import { captureLogRecords } from '../helpers/capture-log.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

const errors = suite('IoErrorLog');

errors('one warning per distinct error, repeats at debug, one info on recovery', () => {
  const log = captureLogRecords();
  try {
    const ioErrors = new IoErrorLog('/var/ossec/logs/alerts/alerts.json');
    for (let i = 0; i < 5; i++) ioErrors.failed(errno('EIO'), 100);
    ioErrors.failed(errno('EACCES'), 100);
    ioErrors.succeeded();
    ioErrors.succeeded();
    assert.equal(
      log.records.map((r) => [r.level, r['error']]),
      [['warning', 'EIO'], ['debug', 'EIO'], ['debug', 'EIO'], ['debug', 'EIO'], ['debug', 'EIO'], ['warning', 'EACCES'], ['info', undefined]],
    );
    assert.equal([log.records[0]?.['path'], log.records[0]?.['offset']], ['/var/ossec/logs/alerts/alerts.json', 100]);
  } finally {
    log.restore();
  }
});

errors.run();
