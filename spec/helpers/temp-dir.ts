// Private temporary directories for specs, removed by the returned cleanup.

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
