// The identity of an <integration> block: what it delivers to (name + destination), not where it sits in the file.

import { createHash } from 'node:crypto';
import type { IntegrationConfig } from './integration-config.js';

/** A decoded block before its identity is known (identity depends on the other blocks: twins). */
export type UnidentifiedConfig = Omit<IntegrationConfig, 'id'>;

/** `custom-my hook` → `custom-my_hook`: safe in a file name on every system, never a dot file. */
export const fileSafeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_') || '_';

/** 100 characters of name: with the hash and a twin number the file name stays far below 255 bytes. */
const MAX_NAME = 100;

/**
 * `<file-safe name>-<first 8 hex of sha256(destination)>`, destination being the hook_url as set
 * (empty when there is none): stable across edits of filters, timeouts or position, and it never
 * shows the URL (which usually holds a token).
 */
export const blockIdBase = (config: Pick<IntegrationConfig, 'name' | 'hookUrl'>): string => {
  const digest = createHash('sha256')
    .update(config.hookUrl?.reveal() ?? '')
    .digest('hex')
    .slice(0, 8);
  return `${fileSafeName(config.name).slice(0, MAX_NAME)}-${digest}`;
};

/**
 * Gives every block of one configuration its `id`: `blockIdBase`, with `-2`, `-3`, … appended to
 * exact twins (same name and destination) in file order, so ids are unique within the list. A
 * base always ends in 8 hex digits, so a numbered twin never equals another block's base.
 */
export const identifyBlocks = (configs: readonly UnidentifiedConfig[]): IntegrationConfig[] => {
  const seen = new Map<string, number>();
  return configs.map((config) => {
    const base = blockIdBase(config);
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    return Object.freeze({ ...config, id: occurrence === 1 ? base : `${base}-${occurrence}` });
  });
};
