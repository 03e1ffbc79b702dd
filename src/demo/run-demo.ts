// The demo: the sample config and alerts through the real pipeline against local stand-in services.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigText } from '../config/load.js';
import { logDiagnostics } from '../config/log-diagnostics.js';
import { IntegratordError } from '../errors.js';
import { Integrator } from '../pipeline/integrator.js';
import { bindAnalysisdQueue, type AnalysisdQueue } from '../stand-ins/analysisd-queue.js';
import { log } from '../telemetry/log.js';
import { wazuhPaths } from '../wazuh-home.js';
import { demoConfig } from './demo-config.js';
import { demoTable, writeBackLines, type BlockTally } from './demo-report.js';
import { demoUrls, integrationDemos, startDemoServices, stopDemoServices } from './demo-services.js';

/** The sample configuration files, in the order their blocks are numbered: Wazuh's names, then integratord's own (when present). */
const SAMPLE_CONFIGS = ['ossec.conf', 'integratord.conf'] as const;

/** samples/ next to src/ and dist/ (both two levels below the package root). */
export const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));

export interface DemoResult {
  readonly lines: readonly string[];
  readonly deadLettered: number;
  readonly delivered: number;
}

/** The queue socket stand-in, or a JSON Lines file where the unix-dgram addon is missing. */
const writeBackTarget = (home: string): { queue?: AnalysisdQueue; enrichmentOut?: string } => {
  try {
    return { queue: bindAnalysisdQueue(join(home, 'queue', 'sockets', 'queue')) };
  } catch (error) {
    if (!(error instanceof IntegratordError) || error.code !== 'INTEGRATORD_UNSUPPORTED') throw error;
    log.warning('unix-dgram is not installed: enrichment events go to a JSON Lines file instead of a queue socket');
    return { enrichmentOut: join(home, 'enrichment-events.jsonl') };
  }
};

/** `a, b and c`. */
const inWords = (items: readonly string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** 2000 ms: local datagrams arrive within milliseconds; the bound only keeps a lost one from hanging the demo. */
const WRITE_BACK_WAIT_MS = 2000;

const arrived = async (queue: AnalysisdQueue, count: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([queue.waitFor(count), new Promise((resolve) => (timer = setTimeout(resolve, WRITE_BACK_WAIT_MS)))]);
  clearTimeout(timer);
};

const readWriteBacks = (target: { queue?: AnalysisdQueue; enrichmentOut?: string }): string[] => {
  if (target.queue) return [...target.queue.messages];
  if (target.enrichmentOut === undefined) return [];
  return readFileSync(target.enrichmentOut, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { datagram: string }).datagram);
};

/**
 * Builds a temporary Wazuh home (short path: the queue socket path is limited to 107 bytes),
 * writes samples/ossec.conf (and samples/integratord.conf's blocks after it) pointed at the stand-ins, replays samples/alerts.json through every
 * block, and returns the report. Everything it started or wrote is removed before it returns.
 */
export const runDemo = async (samplesDir = SAMPLES_DIR): Promise<DemoResult> => {
  const home = mkdtempSync(join(tmpdir(), 'itd-demo-'));
  const services = await startDemoServices();
  let target: { queue?: AnalysisdQueue; enrichmentOut?: string } = {};
  try {
    for (const dir of ['etc', 'integrations', 'logs/alerts', 'var/integratord']) mkdirSync(join(home, dir), { recursive: true });
    const files = SAMPLE_CONFIGS.filter((name, i) => i === 0 || existsSync(join(samplesDir, name)));
    // Several <ossec_config> roots in one file are valid (Wazuh reads them all): integratord.conf's blocks follow ossec.conf's.
    const configText = demoConfig(files.map((name) => readFileSync(join(samplesDir, name), 'utf8')).join('\n'), demoUrls(services));
    // Named integratord.conf, as the README's install steps do: the samples' tags of ours (noise control) are not warned about.
    const paths = wazuhPaths(home, { config: join(home, 'etc', 'integratord.conf') });
    writeFileSync(paths.config, configText);
    const loaded = loadConfigText(configText, paths.config);
    const shown = files.map((name) => `samples/${name}`).join(' + ');
    if (!logDiagnostics(loaded.diagnostics)) throw new IntegratordError('INTEGRATORD_CONFIG', `${shown} has errors (above)`);
    target = writeBackTarget(home);

    const alertsFile = join(samplesDir, 'alerts.json');
    const integrator = new Integrator({ paths, input: { kind: 'replay', files: [alertsFile] }, enrichmentOut: target.enrichmentOut });
    await integrator.start(loaded.integrations);
    await integrator.done();
    // Exact counts per block: lines no filter of a block can take are settled in bulk, not emitted one by one.
    const tallies = new Map<number, BlockTally>(
      integrator.counts().map(({ config, counts: c }) => [config.index, { delivered: c.delivered, skipped: c.skipped + c.prefiltered + c.rejected, suppressed: c.suppressed, deadLettered: c.deadLettered }]),
    );
    await integrator.stop();
    // A datagram reaches the stand-in on a later turn of the event loop: wait for every event sent.
    const sent = (await integrator.metrics.enrichmentEvents.get()).values.reduce((n, v) => n + v.value, 0);
    if (target.queue) await arrived(target.queue, sent);

    const alerts = readFileSync(alertsFile, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    const writeBacks = readWriteBacks(target);
    const totals = [...tallies.values()].reduce((a, t) => ({ delivered: a.delivered + t.delivered, dead: a.dead + t.deadLettered }), { delivered: 0, dead: 0 });
    const lines = [
      `integratord demo: ${shown} (${loaded.integrations.length} blocks) and samples/alerts.json (${alerts} alerts), replayed through the real pipeline`,
      `against stand-in services on 127.0.0.1 that answer like ${inWords(integrationDemos().map((d) => d.label))}.`,
      '',
      ...demoTable(loaded.integrations, services, tallies),
      '',
      `Written back to Wazuh (${target.queue ? 'datagrams on a real queue socket' : 'JSON Lines, no unix-dgram'}): ${writeBacks.length} enrichment event${writeBacks.length === 1 ? '' : 's'}`,
      ...writeBackLines(writeBacks),
      '',
      `${totals.delivered} deliveries, ${totals.dead} dead-lettered. Nothing left this machine; the temporary Wazuh home is removed.`,
    ];
    return { lines, deadLettered: totals.dead, delivered: totals.delivered };
  } finally {
    target.queue?.unbind();
    await stopDemoServices(services);
    rmSync(home, { recursive: true, force: true });
  }
};
