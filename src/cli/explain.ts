// `integratord explain ALERT_FILE`: per block, taken or not and why, then exactly what would be sent.

import { readFile } from 'node:fs/promises';
import { text as streamText } from 'node:stream/consumers';
import { EXIT, type Command, type CommandIo } from './command.js';
import { loadValidConfig } from './load-valid-config.js';
import { HOME_OPTIONS, parseOptions } from './parse-options.js';
import { alertId, isAlert, stringField, field, type Alert } from '../alerts/alert.js';
import { describeBlock } from '../config/describe.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { IntegratordError, errorMessage } from '../errors.js';
import { compileFilter } from '../match/compile.js';
import { explainSkip } from '../match/explain-skip.js';
import { NoiseState } from '../noise/noise-state.js';
import { FileNoiseStore } from '../noise/noise-store.js';
import { EnrichmentCacheFile } from '../integrations/enrichment-cache-file.js';
import { createLocalEnrichmentStores, type EnrichmentStores } from '../integrations/enrichment-stores.js';
import { dryRunLines } from '../pipeline/dry-run.js';
import { startupCheck } from '../pipeline/startup-check.js';
import { readSilences } from '../silences/silence-file.js';
import { describeSilence, findSilence, type Silence } from '../silences/silence.js';
import { checkStateDir } from '../state/state-dir.js';
import { configureLog, createLogger, scrubSecrets } from '../telemetry/log.js';
import { wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord explain ALERT_FILE [--home DIR] [-c FILE] [--state DIR] [--json] [--show-secrets]

For each alert of ALERT_FILE (one JSON object, pretty-printed or not, or JSON Lines such as a copy
of alerts.json; '-' reads standard input) and each <integration> block (ossec.conf, integratord.conf): whether the block takes it, or the first
filter that rejects it and why (Wazuh's order: event_location, level, group, rule_id, then the
integration's own pre-filter), the silence that would skip it (integratord silence list), and then
the exact request or script argv it would send; for an enrichment (virustotal, maltiverse, abuseipdb),
the values it would look up and whether the daemon's saved cache (STATE/enrichment-cache.json)
answers each. Sends nothing, writes nothing.

Options:
  --home DIR          Wazuh home (default /var/ossec)
  -c, --config FILE   read this file alone (default: DIR/etc/ossec.conf and DIR/etc/integratord.conf, as run)
  --state DIR         where silences.json is (default DIR/var/integratord)
  --json              one JSON object per alert and block instead of text
  --show-secrets      print api_key and hook_url instead of **REDACTED**
  -h, --help          show this help

Exit codes: 0 explained (lines that are not alerts are reported on stderr), 1 an unreadable file,
one that holds no JSON alert, or an invalid configuration, 2 wrong arguments.`;

const OPTIONS = {
  ...HOME_OPTIONS,
  state: { type: 'string' },
  json: { type: 'boolean', default: false },
  'show-secrets': { type: 'boolean', default: false },
} as const;

/** One JSON document, or JSON Lines; a line that is not an object is reported, not fatal. */
export const readAlerts = (text: string): { alerts: Alert[]; problems: string[] } => {
  try {
    const whole: unknown = JSON.parse(text);
    if (isAlert(whole)) return { alerts: [whole], problems: [] };
    if (Array.isArray(whole)) return { alerts: whole.filter(isAlert), problems: whole.some((a) => !isAlert(a)) ? ['array items that are not objects were left out'] : [] };
  } catch {
    // not one document: try JSON Lines
  }
  const alerts: Alert[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const value: unknown = JSON.parse(line);
      if (isAlert(value)) alerts.push(value);
      else problems.push(`line ${i + 1}: not a JSON object`);
    } catch (error) {
      problems.push(`line ${i + 1}: invalid JSON (${errorMessage(error)})`);
    }
  });
  return { alerts, problems };
};

interface Explanation {
  readonly block: number;
  readonly integration: string;
  readonly verdict: 'sends' | 'skipped' | 'disabled';
  readonly why?: string;
  readonly actions?: readonly unknown[];
  /** Enrichments: the values the alert would be looked up by, and whether the cache (STATE/enrichment-cache.json) answers each now. */
  readonly lookups?: readonly { readonly value: string; readonly cached: boolean }[];
  /** Noise control: the alert's keys, and what the block would do with it now (given its saved state). */
  readonly noise?: { readonly dedup_key?: string; readonly group_key?: string; readonly now: 'sent' | 'held' | 'suppressed'; readonly reason?: string };
}

/** The noise control answer for a matched alert: keys from the block's fields, decision from its saved state, at the wall clock. */
const noiseOf = (config: IntegrationConfig, alert: Alert, journal: readonly unknown[] | undefined): Explanation['noise'] => {
  if (config.noise === undefined) return undefined;
  const now = Date.now();
  const state = new NoiseState(config.noise, journal === undefined ? {} : { journal, now });
  const keys = state.keys(alert);
  state.due(now);
  const admission = state.admit({ seq: 0, alert }, now);
  return {
    ...(keys.dedup === undefined ? {} : { dedup_key: keys.dedup }),
    ...(keys.group === undefined ? {} : { group_key: keys.group }),
    now: admission.kind === 'send' ? 'sent' : admission.kind,
    ...(admission.kind === 'send' ? {} : { reason: admission.reason }),
  };
};

const explainBlock = (config: IntegrationConfig, alert: Alert, paths: WazuhPaths, showSecrets: boolean, silences: readonly Silence[], snapshot: readonly unknown[] | undefined, enrichment: EnrichmentStores): Explanation => {
  const base = { block: config.index, integration: config.name };
  const started = startupCheck(config, paths, { enrichment });
  if (!started.enabled) return { ...base, verdict: 'disabled', why: started.reason };
  const rejected = compileFilter(config)(alert);
  if (rejected !== null) return { ...base, verdict: 'skipped', why: explainSkip(config, alert, rejected) };
  const silence = findSilence(silences, alert, config.id, Date.now());
  if (silence !== undefined) return { ...base, verdict: 'skipped', why: `silenced by ${describeSilence(silence)}` };
  const own = started.block.skip?.(alert);
  if (own !== undefined) return { ...base, verdict: 'skipped', why: `the ${config.name} integration skips it: ${own}` };
  // Asked before plan(): planning a lookup the cache answers is what the lookup would write back.
  const lookups = started.block.lookups?.(alert);
  const lines = dryRunLines(config, alert, started.block.plan(alert), showSecrets);
  const noise = noiseOf(config, alert, snapshot);
  return { ...base, verdict: 'sends', actions: lines.map((l) => JSON.parse(l) as unknown), ...(lookups === undefined ? {} : { lookups }), ...(noise === undefined ? {} : { noise }) };
};

const alertHeader = (alert: Alert): string =>
  `alert ${alertId(alert) ?? '(no id)'}: rule ${stringField(alert, 'rule', 'id') ?? '?'}, level ${JSON.stringify(field(alert, 'rule', 'level') ?? null)}, groups ${JSON.stringify(field(alert, 'rule', 'groups') ?? null)}, location ${JSON.stringify(field(alert, 'location') ?? null)}`;

const textOf = (e: Explanation, config: IntegrationConfig): string => {
  const head = `  ${describeBlock(config)}\n    → `;
  if (e.verdict !== 'sends') return `${head}${e.verdict}: ${e.why}`;
  const actions = (e.actions ?? []).map((a) => {
    const { block: _b, integration: _i, alert_id: _a, ...action } = a as Record<string, unknown>;
    return JSON.stringify(action, null, 2).replace(/\n/g, '\n      ');
  });
  const n = e.noise;
  const noise = n === undefined ? '' : `\n    noise control: ${[n.group_key === undefined ? '' : `group ${n.group_key}`, n.dedup_key === undefined ? '' : `dedup key ${n.dedup_key}`].filter((x) => x !== '').join(', ') || 'hourly cap only'}; now ${n.now}${n.reason === undefined ? '' : ` (${n.reason})`}`;
  const looked = e.lookups === undefined ? '' : `\n    looks up: ${e.lookups.map((l) => `${l.value} (${l.cached ? 'cached' : 'asked'})`).join(', ') || 'nothing'}`;
  const count = `${actions.length} action${actions.length === 1 ? '' : 's'}`;
  // Noise control decides before anything is sent: never "sends 1 action" above "now suppressed".
  const verdict =
    n === undefined || n.now === 'sent'
      ? `sends ${count}`
      : n.now === 'held'
        ? `held now (${n.reason ?? 'noise control'}): goes out in a digest; alone it would send ${count}`
        : `suppressed now (${n.reason ?? 'noise control'}): sends nothing; without noise control it would send ${count}`;
  return `${head}${verdict}:${actions.map((a) => `\n      ${a}`).join('')}${looked}${noise}`;
};

/** The silences the daemon would apply; when they cannot be read, a warning on stderr and none. */
const silencesOf = async (state: string, io: CommandIo): Promise<readonly Silence[]> => {
  try {
    await checkStateDir(state);
    const { silences, problems } = await readSilences(state);
    for (const p of problems) io.stderr.write(`integratord explain: silences.json: record left out: ${p}\n`);
    return silences;
  } catch (error) {
    io.stderr.write(`integratord explain: silences not read, none shown (${errorMessage(error)})\n`);
    return [];
  }
};

export const explain: Command = {
  name: 'explain',
  help,
  async run(argv: readonly string[], io: CommandIo) {
    const { values, positionals } = parseOptions(argv, OPTIONS, true);
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) throw new IntegratordError('INTEGRATORD_USAGE', 'give exactly one ALERT_FILE');
    const paths = wazuhPaths(values.home, { config: values.config, state: values.state });
    const loaded = await loadValidConfig(paths, io);
    const fromStdin = file === '-';
    if (fromStdin && io.stdin === undefined) throw new IntegratordError('INTEGRATORD_USAGE', "'-' needs a standard input, and there is none here");
    const name = fromStdin ? 'standard input' : file;
    const text = await (fromStdin ? streamText(io.stdin!) : readFile(file, 'utf8')).catch((error: NodeJS.ErrnoException) => {
      throw new IntegratordError('INTEGRATORD_IO', `cannot read ${name} (${error.code ?? error.message})`, { cause: error });
    });
    const silences = await silencesOf(paths.state, io);
    const { alerts, problems } = readAlerts(text);
    for (const p of problems) io.stderr.write(`integratord explain: ${name}: ${p}\n`);
    if (alerts.length === 0) throw new IntegratordError('INTEGRATORD_IO', `${name} holds no JSON alert${text.trim() === '' ? ' (it is empty)' : ''}`);
    // The startup checks log Wazuh's lines; here their outcome is part of the answer instead.
    const store = new FileNoiseStore(paths.state);
    const snapshots = new Map(await Promise.all(loaded.integrations.filter((c) => c.noise !== undefined).map(async (c) => [c.id, await store.load(c.id)] as const)));
    const previous = configureLog(createLogger({ destination: { write: () => true } }));
    // The daemon's saved enrichment answers, read only: whether the cache would answer each lookup.
    const enrichment = createLocalEnrichmentStores();
    await new EnrichmentCacheFile(paths.state, enrichment).read();
    try {
      for (const alert of alerts) {
        if (!values.json) io.stdout.write(`${alertHeader(alert)}\n`);
        for (const config of loaded.integrations) {
          const e = explainBlock(config, alert, paths, values['show-secrets'], silences, snapshots.get(config.id), enrichment);
          const out = values.json ? JSON.stringify({ alert_id: alertId(alert) ?? null, ...e }) : textOf(e, config);
          io.stdout.write(`${values['show-secrets'] ? out : scrubSecrets(out)}\n`);
        }
        if (loaded.integrations.length === 0 && !values.json) io.stdout.write(`  (no <integration> block in ${loaded.file})\n`);
      }
    } finally {
      configureLog(previous);
    }
    return EXIT.ok;
  },
};
