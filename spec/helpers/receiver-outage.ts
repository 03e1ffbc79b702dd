// A real daemon whose receiver is down for a while (the port closed, then listening again): what it delivered by itself.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertsDir, alertLines } from './alerts-dir.js';
import { closedPort } from './closed-port.js';
import { DaemonProcess } from './daemon-process.js';
import { writeOssecConf, webhookBlock } from './ossec-conf.js';
import { parseMetrics, sumOf } from './prometheus-text.js';
import { startRecordingService, type RecordingService } from './recording-service.js';

export interface OutageResult {
  readonly sent: readonly string[];
  /** Distinct alert ids the receiver answered 2xx to once it was back. */
  readonly received: ReadonlySet<string>;
  /** Dead letters left in STATE/dead-letter/ at the end (lines). */
  readonly deadLettersLeft: number;
  /** `integratord_dead_letters` (every cause) seen while the receiver was down, and at the end. */
  readonly gaugeDuringOutage: number;
  readonly gaugeAtEnd: number;
  /** `integratord_dead_letter_next_redrive_seconds` while down (Unix seconds; 0 when none). */
  readonly nextRedriveDuringOutage: number;
  /** Seconds from the receiver's return to the last alert received. */
  readonly recoveredSeconds: number;
  readonly stderr: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const deadLetterLines = (state: string): number => {
  const dir = join(state, 'dead-letter');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .reduce((n, name) => n + readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l.trim() !== '').length, 0);
};

/**
 * `alerts` alerts written while the receiver's port is closed for `outageMs`: the daemon (one retry,
 * 1 s timeout, so it dead-letters within a second or two) with `--redrive-base baseSeconds`. Then the
 * receiver listens on the same port, nobody types a command, and the result is read after every alert
 * arrived (or `settleMs` passed).
 */
export const receiverOutage = async (options: {
  readonly outageMs: number;
  readonly alerts: number;
  readonly baseSeconds: number;
  readonly settleMs: number;
  /** Stop the daemon at the end of the outage and start another once the receiver is back: the schedule is read from the files. */
  readonly restart?: boolean;
}): Promise<OutageResult> => {
  const dir = new AlertsDir('receiver-outage');
  const port = await closedPort();
  const state = join(dir.home, 'var', 'integratord');
  let service: RecordingService | undefined;
  let daemon: DaemonProcess | undefined;
  try {
    writeOssecConf(dir.home, webhookBlock('custom-outage', `http://127.0.0.1:${port}/hook`, '<timeout>1</timeout>\n<retries>1</retries>'));
    dir.append([]);
    const args = ['run', '--home', dir.home, '--grace', '1', '--http', '0', '--redrive-base', String(options.baseSeconds)];
    daemon = new DaemonProcess(args);
    await daemon.ready();
    const lines = alertLines('outage', options.alerts);
    const sent = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    dir.append(lines);
    const downUntil = Date.now() + options.outageMs;
    let gaugeDuringOutage = 0;
    let nextRedriveDuringOutage = 0;
    while (Date.now() < downUntil) {
      await sleep(Math.min(250, Math.max(0, downUntil - Date.now())));
      const samples = parseMetrics(await daemon.metrics());
      gaugeDuringOutage = Math.max(gaugeDuringOutage, sumOf(samples, 'integratord_dead_letters'));
      nextRedriveDuringOutage = Math.max(nextRedriveDuringOutage, sumOf(samples, 'integratord_dead_letter_next_redrive_seconds'));
    }
    let stderr = '';
    if (options.restart === true) {
      await daemon.stop();
      stderr = daemon.stderr;
    }
    service = await startRecordingService({ port });
    if (options.restart === true) {
      daemon = new DaemonProcess(args);
      await daemon.ready();
    }
    const upAt = Date.now();
    const received = () => new Set(service!.receipts.filter((r) => r.status < 300 && r.id !== undefined).map((r) => r.id!));
    while ((received().size < sent.length || deadLetterLines(state) > 0) && Date.now() < upAt + options.settleMs) await sleep(50);
    const recoveredSeconds = (Math.max(upAt, ...service.receipts.map((r) => r.at)) - upAt) / 1000;
    // One more tick of the redriver publishes the gauges of the emptied queue.
    await sleep(Math.min(1000, options.baseSeconds * 1000) + 300);
    const gaugeAtEnd = sumOf(parseMetrics(await daemon.metrics()), 'integratord_dead_letters');
    return { sent, received: received(), deadLettersLeft: deadLetterLines(state), gaugeDuringOutage, gaugeAtEnd, nextRedriveDuringOutage, recoveredSeconds, stderr: stderr + daemon.stderr };
  } finally {
    await daemon?.stop();
    await service?.close();
    dir.remove();
  }
};
