// Wraps node:util parseArgs so that every command reports usage errors the same way.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { IntegratordError, errorMessage } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs returns for these options (node:util does not export the type by name). */
export type ParsedOptions<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>>;

/** Parses argv strictly; an unknown flag or missing value throws INTEGRATORD_USAGE. */
export const parseOptions = <O extends Options>(argv: readonly string[], options: O, allowPositionals = false): ParsedOptions<O> => {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (error) {
    throw new IntegratordError('INTEGRATORD_USAGE', errorMessage(error));
  }
};

/** The options every command that reads a Wazuh home accepts. */
export const HOME_OPTIONS = {
  home: { type: 'string', default: '/var/ossec' },
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** A positive number option (`--rate 2.5`, `--concurrency 4`), or a usage error naming it. */
export const positiveNumber = (name: string, text: string | undefined, integer = true): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new IntegratordError('INTEGRATORD_USAGE', `--${name} expects a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
  }
  return n;
};

/** A block number (0-based position among the configured blocks), or a usage error. */
export const blockNumber = (text: string): number => {
  if (!/^\d+$/.test(text)) throw new IntegratordError('INTEGRATORD_USAGE', `--block expects a block number (0, 1, …), got '${text}'`);
  return Number(text);
};
