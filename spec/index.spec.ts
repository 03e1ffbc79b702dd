// Specs for src/index.ts (The public library API: embed integratord's pipeline in a Node app).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as api from '../src/index.js';
import type { BlockOutcome, CreateIntegratorOptions, DeliverOptions, EmbeddedIntegrator, ErrorCode, RetryEvent, StopCounts, StopOptions } from '../src/index.js';

/** The README's `## Library` section, up to the next section. */
const librarySection = (): string => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const start = readme.indexOf('\n## Library\n');
  assert.ok(start >= 0, 'README has a Library section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
};

/** The options the README names; typed, so that renaming one breaks the typecheck too. */
const OPTION_KEYS: readonly (keyof CreateIntegratorOptions)[] = ['config', 'configFile', 'alerts$', 'alertsFile', 'state', 'home', 'fromBeginning', 'queue', 'enrichmentOut', 'concurrency', 'metrics', 'highWaterMark', 'connections', 'logger', 'maxWaiting', 'sourceBuffer', 'stallMs', 'strict', 'onRetry'];
/** What else the section may name, each checked against its type: integrator members, stop options and counts, outcome kinds and fields. */
const MEMBERS: readonly ((keyof EmbeddedIntegrator & string) | keyof StopOptions | keyof StopCounts)[] = ['held', 'waiting', 'graceMs', 'signal', 'stopped', 'overflowed', 'deadLettered', 'delivered', 'skipped', 'rejected'];
const OUTCOME_WORDS: readonly (BlockOutcome['kind'] | 'block' | 'blockId' | 'integration' | 'id' | 'seq' | 'kind' | 'attempts' | 'alert' | 'reason' | 'status')[] = ['suppressed', 'block', 'blockId', 'integration', 'id', 'seq', 'kind', 'attempts', 'alert', 'reason', 'status'];
/** A retry's event (onRetry) and deliver's own options. */
const RETRY_WORDS: readonly (keyof RetryEvent | 'RetryEvent' | keyof DeliverOptions)[] = ['RetryEvent', 'attempt', 'delayMs', 'preMatched'];
/** Words of the prose that are neither: the prepare script, an error's `code` and `cause`, types, reasons and skip reasons. */
const PROSE = ['prepare', 'code', 'cause', 'TIMEOUT', 'rule', 'RetryListenerFailed', 'BlockOutcome', 'ErrorCode', 'overflow', 'level', 'group', 'location', 'silenced', 'dedup'];
const codes: readonly ErrorCode[] = ['INTEGRATORD_BACKPRESSURE'];

const exports = suite('index: the public library API');

exports('exports every name the README example imports from integratord', () => {
  const section = librarySection();
  const imports = [...section.matchAll(/import \{([^}]*)\} from 'integratord'/g)].flatMap((m) => (m[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  assert.ok(imports.length > 0, 'the example imports from integratord');
  for (const name of imports) assert.type((api as Record<string, unknown>)[name], 'function', name);
});

exports('exports every function and class the README text names, and every option it names is a createIntegrator option', () => {
  const names = [...librarySection().matchAll(/`([A-Za-z$]+)`/g)].map((m) => m[1] ?? '');
  const exported = names.filter((n) => n in api);
  assert.equal([...new Set(exported)].sort(), ['Integrator', 'IntegratordError', 'configureLog', 'createIntegrator', 'deliver', 'fromAlertLines', 'fromAlertsFile', 'matchBlock', 'redriveDeadLetters']);
  for (const name of exported) assert.type((api as Record<string, unknown>)[name], 'function', name);
  const known = new Set<string>([...OPTION_KEYS, ...MEMBERS, ...OUTCOME_WORDS, ...RETRY_WORDS, ...PROSE]);
  for (const name of names.filter((n) => !(n in api))) assert.ok(known.has(name), `\`${name}\` is neither an export, an option nor a documented member`);
  assert.ok(codes.every((code) => librarySection().includes(`\`${code}\``)), 'the error codes are documented');
});

exports('exports the building blocks an embedding app needs to configure, observe and handle errors', () => {
  const values = { ...api } as Record<string, unknown>;
  for (const name of ['loadConfigText', 'loadConfigFile', 'formatDiagnostic', 'createDeliveryParts', 'createMetrics', 'configureLog', 'createLogger', 'wazuhPaths']) {
    assert.type(values[name], 'function', name);
  }
  const error = new api.IntegratordError('INTEGRATORD_CONFIG', 'x');
  assert.instance(error, Error);
  assert.is(error.code, 'INTEGRATORD_CONFIG');
  assert.is(String(new api.Secret('s3cr3t-value')).includes('s3cr3t'), false, 'a Secret never prints its value');
  const loaded = api.loadConfigText('<ossec_config><integration><name>slack</name><hook_url>h</hook_url></integration></ossec_config>');
  assert.is(loaded.integrations[0]?.hookUrl?.reveal(), 'h');
});

exports.run();
