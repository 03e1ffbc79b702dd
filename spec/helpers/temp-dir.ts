// Fresh temporary directories for specs that need real files, removed by the returned cleanup.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty directory under the OS temp dir, and a function that removes it with its contents. */
export const tempDir = (label: string): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), `integratord-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
};
