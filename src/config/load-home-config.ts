// The one configuration run and every command read: the home's ossec.conf and integratord.conf (or -c FILE) as one list of blocks.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { blockIdBase, identifyBlocks } from './block-identity.js';
import { byPosition, type Diagnostic } from './diagnostic.js';
import type { IntegrationConfig } from './integration-config.js';
import { loadConfigFile, type LoadedConfig } from './load.js';
import { WAZUH_CONFIG, type WazuhPaths } from '../wazuh-home.js';

export interface HomeConfig extends LoadedConfig {
  /** The files read, in order (a missing integratord.conf is left out). `file` names them all for messages. */
  readonly files: readonly string[];
}

const exists = async (file: string): Promise<boolean> => {
  try {
    await stat(file);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
};

/** Diagnostics in the order of `files` (then any other file, a template file), by position within each file. */
export const inFileOrder =
  (files: readonly string[]) =>
  (a: Diagnostic, b: Diagnostic): number => {
    const rank = (d: Diagnostic) => (files.includes(d.file) ? files.indexOf(d.file) : files.length);
    return rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || byPosition(a, b);
  };

/**
 * One configuration from several files: blocks numbered across the files in order (ossec.conf's
 * first, as `--block N` counts them), block ids unique across them (twins numbered as in one file).
 */
export const mergeLoaded = (parts: readonly LoadedConfig[]): HomeConfig => {
  const files = parts.map((p) => p.file);
  const ok = parts.every((p) => p.ok);
  let offset = 0;
  const blocks = parts.flatMap((p) => {
    const shifted = p.integrations.map(({ id: _id, ...config }) => ({ ...config, index: config.index + offset }));
    offset += p.integrations.length;
    return shifted;
  });
  return {
    file: files.join(' and '),
    files,
    integrations: ok ? identifyBlocks(blocks) : [],
    diagnostics: parts.flatMap((p) => p.diagnostics).sort(inFileOrder(files)),
    ok,
  };
};

/**
 * Warnings for blocks of another file that ossec.conf holds too (same name and hook_url): Wazuh's own
 * integratord delivers what ossec.conf has, so each alert would go out twice.
 */
export const doubleDeliveries = (wazuh: LoadedConfig, ours: readonly IntegrationConfig[]): Diagnostic[] =>
  ours.flatMap((block) => {
    if (block.file === undefined || block.file === wazuh.file) return [];
    const twin = wazuh.integrations.find((w) => blockIdBase(w) === blockIdBase(block));
    if (twin === undefined) return [];
    const where = `${wazuh.file}:${twin.at.line}:${twin.at.column}`;
    return [
      {
        file: block.file,
        at: block.at,
        severity: 'warning' as const,
        message: `the same '${block.name}' block (same hook_url) is still in ${where}, which Wazuh's own integratord reads: every alert would be delivered twice; remove it from ${WAZUH_CONFIG}`,
      },
    ];
  });

/** The home's ossec.conf for the double-delivery warning only: undefined when it is missing or unreadable. */
const wazuhConfigOf = async (file: string): Promise<LoadedConfig | undefined> => {
  try {
    return await loadConfigFile(file);
  } catch {
    return undefined;
  }
};

/**
 * Reads the configuration of `paths`: `paths.configFiles` (the home's ossec.conf and, when it
 * exists, integratord.conf; or `-c FILE` alone), merged into one list of blocks. Warns (located) at
 * each block that ossec.conf also holds, `-c FILE` included. Rejects (INTEGRATORD_CONFIG) only when
 * a file cannot be read at all; content problems are diagnostics.
 */
export const loadHomeConfig = async (paths: WazuhPaths): Promise<HomeConfig> => {
  const files: string[] = [];
  for (const [i, file] of paths.configFiles.entries()) if (i === 0 || (await exists(file))) files.push(file);
  const parts = await Promise.all(files.map((f) => loadConfigFile(f)));
  const merged = mergeLoaded(parts);
  if (!merged.ok) return merged;
  const wazuhFile = join(paths.home, 'etc', WAZUH_CONFIG);
  const wazuh = parts.find((p) => p.file === wazuhFile) ?? (await wazuhConfigOf(wazuhFile));
  const warnings = wazuh === undefined ? [] : doubleDeliveries(wazuh, merged.integrations);
  return warnings.length === 0 ? merged : { ...merged, diagnostics: [...merged.diagnostics, ...warnings].sort(inFileOrder(files)) };
};

