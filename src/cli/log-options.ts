// The logging options of the long-running commands (-d, --log-format, --log-file) and their setup.

import { createWriteStream, type WriteStream } from 'node:fs';
import { IntegratordError } from '../errors.js';
import { configureLog, type LogFormat } from '../telemetry/log.js';

export const LOG_OPTIONS = {
  debug: { type: 'boolean', short: 'd', multiple: true },
  'log-format': { type: 'string', default: 'human' },
  'log-file': { type: 'string' },
} as const;

export const LOG_HELP = `  -d, --debug        more detail: -d debug (why alerts are skipped), -dd debug2
  --log-format FMT   human (Wazuh's "2026/11/28 01:00:00 integratord: INFO: …", default) or json
  --log-file FILE    append log lines to FILE instead of stderr (reopened on SIGHUP, for logrotate)`;

export interface Logging {
  /** Debug level: the number of -d flags (0..2). */
  readonly debug: number;
  /** Reopens --log-file (after logrotate moved it). */
  reopen(): void;
  close(): Promise<void>;
}

interface LogValues {
  readonly debug?: boolean[] | undefined;
  readonly 'log-format'?: string | undefined;
  readonly 'log-file'?: string | undefined;
}

/** Configures the process-wide logger from the options; `stderr` when no --log-file. */
export const setUpLogging = (values: LogValues, stderr: NodeJS.WritableStream): Logging => {
  const format = values['log-format'] ?? 'human';
  if (format !== 'human' && format !== 'json') {
    throw new IntegratordError('INTEGRATORD_USAGE', `--log-format expects human or json, got '${format}'`);
  }
  const debug = Math.min(2, values.debug?.length ?? 0);
  const file = values['log-file'];
  let stream: WriteStream | undefined;
  const open = () => {
    if (file === undefined) return;
    const next = createWriteStream(file, { flags: 'a', mode: 0o640 });
    next.on('error', (error) => stderr.write(`integratord: cannot write the log file ${file}: ${error.message}\n`));
    const previous = stream;
    stream = next;
    previous?.end();
  };
  open();
  configureLog({ debug, format: format as LogFormat, destination: { write: (chunk: string) => (stream ?? stderr).write(chunk) } });
  return {
    debug,
    reopen: open,
    close: () => new Promise<void>((resolve) => (stream ? stream.end(resolve) : resolve())),
  };
};
