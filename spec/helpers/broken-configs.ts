// A seeded corpus of broken ossec.conf files: truncations, unknown tags, bad values, garbage bytes, deep nesting, huge files, entity bombs.

import { seededRandom } from '../../bench/corpus.js';

/** One file of the corpus: a name saying what is wrong, and its bytes. */
export interface BrokenConfig {
  readonly name: string;
  readonly content: Buffer;
  /**
   * `file`: Wazuh refuses the whole file (run exits 1). `block`: only one block is wrong (an
   * invalid <options>): Wazuh starts and that block fails, so run starts with it disabled while
   * check still exits 1.
   */
  readonly scope: 'file' | 'block';
}

const block = (inner: string) => `<ossec_config>\n  <integration>\n${inner}\n  </integration>\n</ossec_config>\n`;
const slack = (extra: string) => block(`    <name>slack</name>\n    <hook_url>https://hooks.slack.com/services/T/B/x</hook_url>\n${extra}`);

/** Offsets where a cut of `valid` is still a complete document (it ends after a root's closing tag or in the trailing blanks). */
const completeAt = (valid: string, cut: number): boolean => /<\/ossec_config>\s*$/.test(valid.slice(0, cut)) || valid.slice(0, cut).trim() === '';

/**
 * ~60 files, each broken for one reason, built from `valid` (a file with every tag) and fixed
 * snippets; deterministic for a seed. Wazuh refuses every one of them (or, for `scope: 'block'`, the block), except the empty and blank
 * files, which it reads as "no integration" (integratord refuses them: see read-ossec-conf.ts).
 * Left out on purpose: text outside the root and CDATA (Wazuh ignores or reads them), unknown
 * sections of other daemons (which sections exist depends on the Wazuh version; we do not check them).
 */
export const brokenConfigs = (valid: string, seed: number): BrokenConfig[] => {
  const r = seededRandom(seed);
  const files: BrokenConfig[] = [];
  const add = (name: string, content: string | Buffer, scope: 'file' | 'block' = 'file') =>
    files.push({ name, content: typeof content === 'string' ? Buffer.from(content) : content, scope });

  // Truncations at 20 seeded offsets (a cut that leaves a complete document is moved one byte on).
  const cuts = new Set<number>();
  while (cuts.size < 20) {
    let cut = 1 + Math.floor(r() * (valid.length - 2));
    while (completeAt(valid, cut) && cut < valid.length - 1) cut++;
    if (!completeAt(valid, cut)) cuts.add(cut);
  }
  for (const cut of [...cuts].sort((a, b) => a - b)) add(`truncated-at-${cut}`, valid.slice(0, cut));

  add('empty', '');
  add('blank', ' \n\t\n');
  add('unknown-tag', slack('    <hookurl>https://x</hookurl>'));
  add('unknown-tag-case', slack('    <Level>3</Level>'));
  add('empty-integration', '<ossec_config>\n  <integration/>\n</ossec_config>\n');
  add('missing-name', block('    <hook_url>https://x</hook_url>'));
  add('wrong-root', '<ossec>\n  <integration><name>slack</name></integration>\n</ossec>\n');
  add('second-root-wrong', `${valid}\n<config>\n  <integration><name>slack</name></integration>\n</config>\n`);
  for (const [tag, value] of [
    ['level', 'abc'], ['level', '-1'], ['level', ' 5'], ['level', '3.5'], ['max_log', '164'], ['max_log', '1025'], ['max_log', ''],
    ['max_log', '99999999999999999999999'], ['timeout', '1e3'], ['timeout', '-5'], ['retries', 'x'], ['retries', '0x10'],
  ] as const) {
    add(`bad-${tag}-${value.trim() === '' ? 'empty' : value.replace(/[^a-z0-9.-]/gi, '_')}`, slack(`    <${tag}>${value}</${tag}>`));
  }
  add('event-location-too-long', slack(`    <event_location>${'a'.repeat(20_481)}</event_location>`));
  for (const [label, options] of [['unclosed', '{"pretext": "x"'], ['trailing-comma', '{"a": 1,}'], ['single-quotes', "{'a': 1}"], ['not-json', 'pretext=x']]) {
    add(`bad-options-${label}`, slack(`    <options>${options}</options>`), 'block');
  }
  add('mismatched-close', slack('    <level>3</retries>'));
  add('unclosed-integration', '<ossec_config>\n  <integration>\n    <name>slack</name>\n</ossec_config>\n');
  add('tag-outside-root', `<integration><name>slack</name></integration>\n${slack('')}`);
  add('bad-attribute', '<ossec_config>\n  <integration enabled=>\n    <name>slack</name>\n  </integration>\n</ossec_config>\n');
  add('nul-bytes', Buffer.concat([Buffer.from(slack('').slice(0, 40)), Buffer.alloc(64), Buffer.from(slack('').slice(40))]));
  add('invalid-utf8', Buffer.concat([Buffer.from('<ossec_config>\n  <integration>\n    <name>'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('</nam>\n')]));
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(r() * 256);
  add('binary-garbage', garbage);
  add('binary-after-valid-start', Buffer.concat([Buffer.from('<ossec_config>\n  <integration>\n'), garbage]));
  add('deep-nesting-unclosed', `<ossec_config>\n${'<a>'.repeat(100_000)}\n</ossec_config>\n`);
  add('deep-nesting-in-integration', block(`    <name>slack</name>\n${'<x>'.repeat(20_000)}${'</x>'.repeat(20_000)}`));
  add('huge-comment-then-error', `<!-- ${'x'.repeat(20 * 1024 * 1024)} -->\n${slack('    <level>high</level>')}`);
  add('huge-many-blocks-one-bad', `<ossec_config>\n${'  <integration><name>custom-x</name><hook_url>https://x</hook_url><level>3</level></integration>\n'.repeat(50_000)}  <integration><name>custom-x</name><level>three</level></integration>\n</ossec_config>\n`);
  add('huge-value', slack(`    <options>${'{"a":'.repeat(100_000)}</options>`), 'block');
  add('entity-bomb', `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}\n]>\n${slack('    <options>{"pretext": "&lol9;"}</options>\n    <level>&lol9;</level>')}`);
  add('external-entity', `<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY ext SYSTEM "file:///etc/passwd"> ]>\n${slack('    <level>&ext;</level>')}`);
  return files;
};
