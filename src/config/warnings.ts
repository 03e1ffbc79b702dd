// Warnings where Wazuh silently does something surprising with a valid <integration> block.

import type { Diagnostic, Position } from './diagnostic.js';
import { basename } from 'node:path';
import { OUR_TAGS, type IntegrationConfig } from './integration-config.js';
import type { RawElement, RawIntegration } from './read-ossec-conf.js';
import { parseRuleIdList } from './rule-id-list.js';
import { warnKeyFields } from './warn-key-fields.js';

const HIGHEST_RULE_LEVEL = 16;
const INT32_MAX = 2147483647;

type Warn = (at: Position, message: string) => void;

const lastOf = (raw: RawIntegration, name: string): RawElement | undefined =>
  raw.elements.filter((e) => e.name === name).at(-1);

const warnRuleIds = (raw: RawIntegration, warn: Warn): void => {
  const tags = raw.elements.filter((e) => e.name === 'rule_id');
  for (const tag of tags) {
    const parsed = parseRuleIdList(tag.text);
    if (parsed.ids.length === 0) {
      warn(tag.at, `no rule id could be read from <rule_id>${tag.text}</rule_id>: Wazuh then applies no rule_id filter at all`);
    } else if (parsed.ignored !== undefined) {
      warn(tag.at, `Wazuh ignores part of <rule_id>${tag.text}</rule_id> ('${parsed.ignored}'); ids used: ${parsed.ids.join(', ')}`);
    }
    for (const id of parsed.ids.filter((n) => n > INT32_MAX)) {
      warn(tag.at, `rule id ${id} is larger than any rule id can be: it never matches`);
    }
  }
  const all = tags.flatMap((t) => parseRuleIdList(t.text).ids);
  if (all.length > 0 && all.every((id) => id === 0)) {
    warn((tags[0] as RawElement).at, '<rule_id>0</rule_id> makes a rule_id filter that never matches: this block receives nothing');
  }
};

const warnGroup = (config: IntegrationConfig, element: RawElement | undefined, warn: Warn): void => {
  if (config.group === undefined || element === undefined) return;
  if (config.group === '') {
    warn(element.at, 'an empty <group> never matches: this block receives nothing');
    return;
  }
  const spaced = config.group.split(',').filter((p) => p !== p.trim() && p.trim() !== '');
  if (spaced.length > 0) {
    const fixed = config.group.split(',').map((p) => p.trim()).join(',');
    warn(element.at, `group list has spaces around commas: Wazuh compares '${spaced[0]}' exactly, so it never equals '${spaced[0]?.trim()}'; write <group>${fixed}</group>`);
  }
};

const warnDuplicates = (raw: RawIntegration, warn: Warn): void => {
  const seen = new Set<string>();
  for (const element of raw.elements) {
    if (element.name !== 'rule_id' && seen.has(element.name)) {
      warn(element.at, `<${element.name}> appears more than once in this block: only the last one is used`);
    }
    seen.add(element.name);
  }
};

/**
 * Lints decoded blocks against their raw elements. What depends on the integration (a legacy
 * alert_format for a JSON-only one) is warned by the startup decision, where integrations are known. Never prints secret values: hook_url and
 * api_key are only named.
 */
export const warnIntegration = (file: string, raw: RawIntegration, config: IntegrationConfig): Diagnostic[] => {
  const warnings: Diagnostic[] = [];
  const warn: Warn = (at, message) => warnings.push({ file, at, severity: 'warning', message });

  if (config.level > HIGHEST_RULE_LEVEL) {
    warn(lastOf(raw, 'level')?.at ?? raw.at, `level ${config.level} is above ${HIGHEST_RULE_LEVEL}, the highest rule level: this block receives nothing`);
  }
  warnRuleIds(raw, warn);
  warnGroup(config, lastOf(raw, 'group'), warn);
  if (config.name !== config.name.trim()) {
    warn(lastOf(raw, 'name')?.at ?? raw.at, `<name> has spaces around it, kept verbatim: '${config.name}' is not '${config.name.trim()}'`);
  }
  for (const secret of ['hook_url', 'api_key'] as const) {
    const element = lastOf(raw, secret);
    if (element !== undefined && element.text !== element.text.trim()) {
      warn(element.at, `<${secret}> has spaces or line breaks around its value, which are sent verbatim`);
    }
  }
  if (config.eventLocation?.pattern === '!') {
    warn(lastOf(raw, 'event_location')?.at ?? raw.at, "<event_location>!</event_location> never matches: this block receives nothing");
  } else if (config.eventLocation?.pattern === '') {
    warn(lastOf(raw, 'event_location')?.at ?? raw.at, 'an empty <event_location> matches every alert that has a location');
  }
  if (config.timeout === 0) {
    warn(lastOf(raw, 'timeout')?.at ?? raw.at, '<timeout>0</timeout> leaves no time for a request: integratord uses 1 second');
  }
  warnDuplicates(raw, warn);
  warnKeyFields(raw, config, warn);
  if (basename(file) === 'ossec.conf') {
    for (const element of raw.elements.filter((e) => (OUR_TAGS as readonly string[]).includes(e.name))) {
      warn(element.at, `<${element.name}> is integratord's, not Wazuh's: Wazuh refuses a block with it (1230); move the block to integratord.conf`);
    }
  }
  return warnings;
};
