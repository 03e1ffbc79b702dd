// The version of integratord, read from package.json (two levels up from src/cli/ and from dist/cli/ alike).

import { createRequire } from 'node:module';

/** package.json's `version`, e.g. `0.1.0`. */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
