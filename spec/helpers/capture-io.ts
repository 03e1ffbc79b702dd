// A CommandIo whose stdout and stderr are collected as text.

import { Writable } from 'node:stream';
import type { CommandIo } from '../../src/cli/command.js';

const collector = () => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
};

/** Runs commands against in-memory streams: `out()` and `err()` give what was written. */
export const captureIo = (): CommandIo & { out(): string; err(): string } => {
  const out = collector();
  const err = collector();
  return { stdout: out.stream, stderr: err.stream, out: out.text, err: err.text };
};
