// <shared_state> of integratord.conf: the same settings as --shared-state, --shared-state-ca, --node and --cluster (never read from ossec.conf).

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import sax from 'sax';
import { WAZUH_CONFIG } from '../wazuh-home.js';
import type { Diagnostic, Position } from './diagnostic.js';

/** The settings found; each absent when not set. */
export interface SharedStateSettings {
  readonly url?: string;
  readonly caFile?: string;
  readonly node?: string;
  readonly cluster?: string;
}

const FIELDS: Readonly<Record<string, keyof SharedStateSettings>> = { url: 'url', ca_file: 'caFile', node: 'node', cluster: 'cluster' };

/**
 * Reads `<ossec_config><shared_state><url>…</url><ca_file>…</ca_file><node>…</node><cluster>…</cluster></shared_state>`
 * from a configuration text (the first <shared_state> wins; values trimmed; unknown children ignored).
 * Undefined when there is none, or the text is not XML (`check` reports that).
 */
export const parseSharedState = (text: string): SharedStateSettings | undefined => sharedStateOf(text)?.settings;

/** The first <shared_state> of a text: its settings and where its `<` is. */
const sharedStateOf = (text: string): { settings: SharedStateSettings; at: Position } | undefined => {
  const parser = sax.parser(true, { trim: false, normalize: false });
  const stack: string[] = [];
  const escaped = text.replace(/&(?![a-zA-Z]+;|#\d+;)/g, '&amp;');
  let found: Record<string, string> | undefined;
  let at: Position = { line: 1, column: 1 };
  let done = false;
  let value = '';
  parser.onopentag = (tag) => {
    stack.push(tag.name);
    value = '';
    if (tag.name === 'shared_state' && stack.length === 3 && stack[1] === 'ossec_config' && !done && found === undefined) {
      found = {};
      // startTagPosition counts from 1 past the synthetic `<root>`; escaping `&` only lengthens text after it on the same line at most.
      const before = escaped.slice(0, Math.max(0, parser.startTagPosition - 1 - ROOT.length));
      const lines = before.split('\n');
      at = { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
    }
  };
  parser.ontext = (t) => (value += t);
  parser.oncdata = (t) => (value += t);
  parser.onclosetag = (name) => {
    const field = FIELDS[name];
    if (found !== undefined && !done && field !== undefined && stack.length === 4 && stack[2] === 'shared_state' && value.trim() !== '') found[field] = value.trim();
    if (name === 'shared_state' && found !== undefined) done = true;
    stack.pop();
  };
  try {
    // Wazuh's files have several <ossec_config> roots, and `&` is not escaped: one synthetic root, `&` kept literal.
    parser.write(`${ROOT}${escaped}</root>`).close();
  } catch {
    return undefined;
  }
  return found === undefined ? undefined : { settings: found, at };
};

const ROOT = '<root>';

/** A warning per file named ossec.conf holding a <shared_state> (stock Wazuh refuses the element; integratord does not read it there). */
export const sharedStateMisplaced = async (files: readonly string[]): Promise<Diagnostic[]> => {
  const out: Diagnostic[] = [];
  for (const file of files) {
    if (basename(file) !== WAZUH_CONFIG) continue;
    const found = await readFile(file, 'utf8').then(sharedStateOf, () => undefined);
    if (found !== undefined) out.push({ file, at: found.at, severity: 'warning', message: "<shared_state> is integratord's, not Wazuh's: Wazuh refuses ossec.conf with it, and integratord reads it only from integratord.conf; move it there" });
  }
  return out;
};

/** The <shared_state> of the configuration files that are not ossec.conf (integratord.conf, or a -c FILE of another name). */
export const readSharedState = async (files: readonly string[]): Promise<SharedStateSettings | undefined> => {
  for (const file of files) {
    if (basename(file) === WAZUH_CONFIG) continue;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const found = parseSharedState(text);
    if (found !== undefined) return found;
  }
  return undefined;
};
