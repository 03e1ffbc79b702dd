// Absolute paths of files under spec/fixtures.

import { fileURLToPath } from 'node:url';

export const fixturePath = (...parts: string[]): string =>
  fileURLToPath(new URL(`../fixtures/${parts.join('/')}`, import.meta.url));
