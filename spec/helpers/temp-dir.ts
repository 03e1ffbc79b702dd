// Private temporary directories for specs that need real files, removed by the returned cleanup.

import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** A fresh directory under the system temp dir. */
export const tempDir = async (prefix = 'integratord-spec-'): Promise<TempDir> => {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
};

/** The same, synchronously: a new empty directory and a function that removes it with its contents. */
export const tempDirSync = (label: string): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), `integratord-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
};
