// Captures what the process-wide logger writes (as JSON records) while a spec runs.

import { configureLog, type Logger } from '../../src/telemetry/log.js';

export interface LogRecord {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Routes the logger (debug level, JSON) into `records` until `restore()` is called. */
export const captureLog = (): { records: LogRecord[]; restore: () => void } => {
  const records: LogRecord[] = [];
  let previous: Logger | undefined = configureLog({
    debug: 2,
    format: 'json',
    destination: { write: (chunk: string) => records.push(JSON.parse(chunk) as LogRecord) },
  });
  return {
    records,
    restore: () => {
      if (previous) configureLog(previous);
      previous = undefined;
    },
  };
};
