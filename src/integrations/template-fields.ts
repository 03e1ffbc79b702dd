// Names a message template reads that no Wazuh alert has: a typo renders empty, so check and run warn, located, with a did-you-mean.

import { readFileSync } from 'node:fs';
import Mustache from 'mustache';
import { isKnownAlertField, KNOWN_ALERT_FIELDS } from '../alerts/known-fields.js';
import { didYouMean } from '../config/did-you-mean.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { positionIn, sourceOf, type TemplateTag } from './message-template.js';

const HELPERS = new Set(['.', 'severity', 'truncate', 'json']);
const isTruncate = (name: string) => name === 'truncate' || /^truncate\.\d+$/.test(name);

/** True for a name the alert view answers: a helper, a known field, or a member on the way to one (`rule`, `data`). */
const known = (name: string): boolean =>
  HELPERS.has(name) || isTruncate(name) || isKnownAlertField(name) || KNOWN_ALERT_FIELDS.some((f) => f.startsWith(`${name}.`));

type Token = readonly [string, string, number, number, (readonly Token[])?];

/** The names read at the alert's level (inside sections only those of `truncate`, whose context is the alert), with their offsets. */
const namesOf = (tokens: readonly Token[]): { name: string; start: number }[] =>
  tokens.flatMap(([type, value, start, , children]) => {
    if (type === 'name' || type === '&') return [{ name: value, start }];
    if (type !== '#' && type !== '^') return [];
    if (isTruncate(value)) return namesOf(children ?? []);
    if (value === 'json') return [];
    return [{ name: value, start }];
  });

/**
 * One warning per name a block's templates read that Wazuh never writes (nor the sample alert
 * holds), as `<tag> at FILE:LINE:COL: …`. A template that does not compile or cannot be read is
 * left to compileTemplate (which disables the block).
 */
export const templateFieldWarnings = (config: IntegrationConfig, uses: readonly TemplateTag[]): string[] =>
  uses.flatMap((tag) => {
    const source = sourceOf(config, tag);
    if (source === undefined) return [];
    let tokens: readonly Token[];
    let text: string;
    try {
      text = source.text ?? readFileSync(source.file, 'utf8');
      tokens = Mustache.parse(text) as unknown as readonly Token[];
    } catch {
      return [];
    }
    const named = tag === 'template' && source.text === undefined ? 'template_file' : tag;
    return namesOf(tokens)
      .filter(({ name }) => !known(name))
      .map(({ name, start }) => {
        const p = positionIn(text, start, source.at);
        const near = didYouMean(name, KNOWN_ALERT_FIELDS);
        return `<${named}> at ${source.file}:${p.line}:${p.column}: '${name}' is not a field Wazuh writes in alerts (nor in the sample alert): it renders empty${near === undefined ? '' : `; did you mean '${near}'?`}`;
      });
  });
