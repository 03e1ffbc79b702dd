// Specs for src/integrations/json-body-template.ts (slots placed in or out of JSON strings, rendered to valid JSON).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Mustache from 'mustache';
import { JsonBodyWriter, jsonStringContent, jsonValueText, slotPlaces } from '../../src/integrations/json-body-template.js';

const values = suite('jsonStringContent and jsonValueText');
values('string content: a string escaped, anything else as its JSON text, escaped', () => {
  for (const v of ['a"b\\c\n', { a: ['"'] }, [1, null], 12, true]) {
    const content = jsonStringContent(v);
    assert.is(JSON.parse(`"${content}"`), typeof v === 'string' ? v : JSON.stringify(v));
  }
});
values('a JSON value: null when missing', () => {
  assert.equal([undefined, null, 'x', { a: 1 }, 3].map(jsonValueText), ['null', 'null', '"x"', '{"a":1}', '3']);
});
values.run();

const places = suite('slotPlaces');
const placed = (template: string) => {
  const tokens = Mustache.parse(template) as unknown[];
  const result = slotPlaces(tokens);
  if ('problem' in result) return result.problem;
  const names = (list: unknown[]): string[] =>
    (list as unknown[][]).flatMap((t) => [...(t[0] === 'name' || t[0] === '#' ? [`${String(t[1])}:${result.places.get(t) ?? '?'}`] : []), ...(Array.isArray(t[4]) ? names(t[4] as unknown[]) : [])]);
  return names(tokens);
};
places('knows inside-string from bare, through escaped quotes and sections', () => {
  assert.equal(placed('{"a":"{{x}}","b":{{y}},"c":"\\"{{z}}\\"","d":[{{#g}}"{{.}}"{{/g}}]}'), ['x:string', 'y:bare', 'z:string', 'g:bare', '.:string']);
});
places('a section that opens a string it does not close is a problem', () => {
  assert.match(String(placed('{"a":{{#x}}"{{/x}}"}')), /opens a JSON string/);
});
places('a slot right after a backslash is a problem: its value would complete an escape the template started', () => {
  assert.match(String(placed('{"a":"\\{{x}}n"}')), /follows a backslash/);
  assert.equal(placed('{"a":"\\\\{{x}}"}'), ['x:string'], 'after an escaped backslash it is fine');
});
places.run();

const writer = suite('JsonBodyWriter');
writer('renders each slot by its place, whatever the value', () => {
  const template = '{"s":"{{v}}","b":{{v}}}';
  const tokens = Mustache.parse(template) as string[][];
  const result = slotPlaces(tokens);
  if ('problem' in result) throw new Error(result.problem);
  const w = new JsonBodyWriter(result.places);
  for (const v of [undefined, null, 'x"y', { o: [1] }, [true], 5]) {
    const out = w.renderTokens(tokens, new Mustache.Context({ v }), {}, template, { escape: jsonStringContent });
    const parsed = JSON.parse(out) as { s: string; b: unknown };
    assert.equal(parsed.b, v ?? null);
    assert.is(parsed.s, v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  }
});
writer.run();
