// Captures what the process-wide logger writes, for specs that check log lines.

import { configureLog, type Logger } from '../../src/telemetry/log.js';

export interface CapturedLog {
  readonly lines: string[];
  /** Puts the previous logger back. */
  restore(): void;
  /** All lines joined, for `includes` checks. */
  text(): string;
}

/** Routes the logger (human format, at `debug` level) into memory until `restore()`. */
export const captureLog = (debug = 2): CapturedLog => {
  const lines: string[] = [];
  const previous = configureLog({ debug, destination: { write: (chunk: string) => lines.push(chunk.trimEnd()) } });
  return { lines, restore: () => void configureLog(previous), text: () => lines.join('\n') };
};

export interface LogRecord {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Routes the logger (debug2, JSON) into parsed `records` until `restore()` is called (idempotent). */
export const captureLogRecords = (): { records: LogRecord[]; restore: () => void } => {
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

/** Runs `fn` with the logger writing JSON lines at debug2 into an array; restores the logger after. */
export const captureLogWhile = async <T>(fn: () => Promise<T> | T): Promise<{ result: T; lines: string[] }> => {
  const lines: string[] = [];
  const previous = configureLog({ debug: 2, format: 'json', destination: { write: (chunk: string) => lines.push(chunk) } });
  try {
    return { result: await fn(), lines };
  } finally {
    configureLog(previous);
  }
};

/** Keeps a suite's expected error lines out of the test output: captures logs from before to after it. */
export const quietDuring = (test: { before(fn: () => void): void; after(fn: () => void): void }): void => {
  let captured: CapturedLog | undefined;
  test.before(() => {
    captured = captureLog(0);
  });
  test.after(() => captured?.restore());
};
