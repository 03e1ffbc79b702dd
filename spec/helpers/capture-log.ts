// Captures every line the process-wide logger writes (debug2 and up) while a function runs.

import { configureLog } from '../../src/telemetry/log.js';

/** Runs `fn` with the logger writing JSON lines at debug2 into an array; restores the logger after. */
export const captureLog = async <T>(fn: () => Promise<T> | T): Promise<{ result: T; lines: string[] }> => {
  const lines: string[] = [];
  const previous = configureLog({ debug: 2, format: 'json', destination: { write: (chunk: string) => lines.push(chunk) } });
  try {
    return { result: await fn(), lines };
  } finally {
    configureLog(previous);
  }
};
