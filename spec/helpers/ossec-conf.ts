// ossec.conf texts for specs: <integration> blocks in one <ossec_config>, one element per line.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `<ossec_config>` with one `<integration>` per block; each block is its elements' XML. Block n
 * starts on line 2 + (lines of the blocks before it) + n·2, so errors can be located by specs.
 */
export const ossecConf = (...blocks: readonly string[]): string =>
  `<ossec_config>\n${blocks.map((b) => `  <integration>\n    ${b.trim().split('\n').join('\n    ')}\n  </integration>\n`).join('')}</ossec_config>\n`;

/** The elements of a custom-* webhook block (no script in integrations/, a hook_url, JSON). */
export const webhookBlock = (name: string, url: string, extra = ''): string =>
  [`<name>${name}</name>`, `<hook_url>${url}</hook_url>`, '<alert_format>json</alert_format>', ...(extra === '' ? [] : [extra])].join('\n');

/** Writes HOME/etc/ossec.conf; returns its path. */
export const writeOssecConf = (home: string, ...blocks: readonly string[]): string => {
  const path = join(home, 'etc', 'ossec.conf');
  writeFileSync(path, ossecConf(...blocks));
  return path;
};
