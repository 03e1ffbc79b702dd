// Standard input saved to a private temporary file, so that `replay -` reads it like any alert file.

import { mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { readPrefix, handleReader } from '../alerts/byte-reader.js';

/** gzip's first two bytes: `cat ossec-alerts-27.json.gz | integratord replay -` works without zcat. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export interface StdinFile {
  /** `DIR/stdin`, or `DIR/stdin.gz` when the bytes are gzip. */
  readonly path: string;
  /** Removes the file and its directory; never rejects. */
  remove(): Promise<void>;
}

/**
 * Copies `stdin` to its end into a new file (0600, in a new 0700 directory of the temp dir): every
 * block reads the replayed files on its own, and positional reads, which a pipe cannot give. Rejects
 * on I/O errors, after removing what it wrote.
 */
export const saveStdin = async (stdin: NodeJS.ReadableStream, tempRoot: string = tmpdir()): Promise<StdinFile> => {
  const dir = await mkdtemp(join(tempRoot, 'integratord-stdin-'));
  const remove = () => rm(dir, { recursive: true, force: true }).catch(() => undefined);
  try {
    const plain = join(dir, 'stdin');
    const handle = await open(plain, 'wx', 0o600);
    await pipeline(stdin, handle.createWriteStream());
    const check = await open(plain, 'r');
    const head = await readPrefix(handleReader(check), GZIP_MAGIC.length).finally(() => check.close());
    if (!head.equals(GZIP_MAGIC)) return { path: plain, remove };
    await rename(plain, `${plain}.gz`);
    return { path: `${plain}.gz`, remove };
  } catch (error) {
    await remove();
    throw error;
  }
};
