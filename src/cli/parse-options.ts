// Wraps node:util parseArgs so that every command reports usage errors the same way.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { IntegratordError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses argv strictly; an unknown flag or missing value throws INTEGRATORD_USAGE. */
export const parseOptions = <O extends Options>(argv: readonly string[], options: O, allowPositionals = false) => {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (error) {
    throw new IntegratordError('INTEGRATORD_USAGE', error instanceof Error ? error.message : String(error));
  }
};

/** The options every command that reads a Wazuh home accepts. */
export const HOME_OPTIONS = {
  home: { type: 'string', default: '/var/ossec' },
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
