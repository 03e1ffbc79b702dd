// Captures what the process-wide logger writes, for specs that check log lines.

import { configureLog } from '../../src/telemetry/log.js';

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
