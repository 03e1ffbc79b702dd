// `integratord dlq list [--json]`: every dead letter with its cause and schedule; a digest as one row "digest of N".

import type { CommandIo } from './command.js';
import type { CurrentBlocks } from './dead-letter-blocks.js';
import { stringField } from '../alerts/alert.js';
import { causeOf } from '../delivery/dead-letter-cause.js';
import type { DeadLetterFile, DeadLetterRecord, DeadLetterStore } from '../delivery/dead-letter.js';
import { ownerOf } from '../pipeline/redrive.js';
import { scrubSecrets } from '../telemetry/log.js';

/** Widest cell per column: block ids whole (they are what --block takes); the reason, last, is never cut. */
const MAX_WIDTHS = [8, 120, 40, 40, 12, 8, 16, 24, 24];

const cell = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));

const table = (rows: readonly (readonly string[])[]): string => {
  const last = rows[0]!.length - 1;
  const widths = rows[0]!.map((_, i) => Math.min(MAX_WIDTHS[i] ?? 40, Math.max(...rows.map((r) => (r[i] ?? '').length))));
  return rows.map((r) => r.map((c, i) => (i === last ? c : cell(c, widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
};

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** `digest of 10` (`digest of 10, part 1/3` when split), or the alert id. */
const alertCell = (r: DeadLetterRecord): string =>
  r.digest === undefined ? (stringField(r.alert, 'id') ?? '-') : `digest of ${r.digest.count}${r.digest.part === undefined ? '' : `, part ${r.digest.part}/${r.digest.parts}`}`;

/** When the daemon sends it again: its next redrive, or `manual` (a permanent cause, or past its maximum age: it waits for a person). */
const nextCell = (r: DeadLetterRecord, retryable: boolean): string => r.next_redrive ?? (retryable ? 'manual (too old)' : 'manual');

/** The status and reason as one text (the status added when the reason does not say it), registered secrets scrubbed. */
const reasonOf = (r: DeadLetterRecord): string => scrubSecrets(r.status === undefined || r.reason.includes(String(r.status)) ? r.reason : `${r.status} ${r.reason}`);

/** One dead letter as `--json` prints it (the alerts themselves stay in the file). */
const jsonRow = (r: DeadLetterRecord, position: number | null, fileId: string, integration: string) => {
  const { cause, retryable } = causeOf({ reason: r.reason, status: r.status, transient: r.retryable });
  return {
    block: position,
    block_id: fileId,
    integration,
    alert_id: stringField(r.alert, 'id') ?? null,
    rule_id: stringField(r.alert, 'rule', 'id') ?? null,
    ...(r.digest === undefined ? {} : { digest: { count: r.digest.count, reason: r.digest.reason, alert_ids: r.digest.alerts.map((a) => stringField(a, 'id') ?? null), ...(r.digest.part === undefined ? {} : { part: r.digest.part, parts: r.digest.parts }) } }),
    attempts: r.attempts,
    status: r.status ?? null,
    cause: r.cause ?? cause,
    retryable: r.retryable ?? retryable,
    first_time: r.first_time ?? r.time,
    time: r.time,
    redrives: r.redrives ?? 0,
    next_redrive: r.next_redrive ?? null,
    reason: reasonOf(r),
  };
};

/**
 * Prints the dead letters of `files`: a table (reason last and whole), then the count and the orphans;
 * with `json`, one JSON object per dead letter per line and nothing else on stdout.
 */
export const listDeadLetters = async (store: DeadLetterStore, files: readonly DeadLetterFile[], blocks: CurrentBlocks, io: CommandIo, json: boolean): Promise<void> => {
  const rows: string[][] = [['BLOCK', 'BLOCK ID', 'INTEGRATION', 'ALERT ID', 'RULE ID', 'ATTEMPTS', 'CAUSE', 'NEXT REDRIVE', 'TIME', 'REASON']];
  const orphans: string[] = [];
  for (const file of files) {
    const owner = blocks.configs === undefined ? undefined : ownerOf(file, blocks.configs);
    const position = owner !== undefined ? String(owner.index) : blocks.configs === undefined ? '?' : 'orphaned';
    let count = 0;
    for (const entry of await store.entries(file.path)) {
      const r = entry.record;
      if (!r) continue;
      count += 1;
      const integration = owner?.name ?? r.integration;
      if (json) {
        io.stdout.write(`${JSON.stringify(jsonRow(r, owner?.index ?? null, file.id, integration))}\n`);
        continue;
      }
      const { cause, retryable } = causeOf({ reason: r.reason, status: r.status, transient: r.retryable });
      rows.push([position, file.id, integration, alertCell(r), stringField(r.alert, 'rule', 'id') ?? '-', String(r.attempts), r.cause ?? cause, nextCell(r, r.retryable ?? retryable), r.time, reasonOf(r)]);
    }
    if (owner === undefined && blocks.configs !== undefined && count > 0) orphans.push(`orphaned: ${plural(count, 'dead letter')} of '${file.id}', which no configured file has a block for (removed, or its name or hook_url changed); 'integratord dlq drop --block ${file.id}' removes them`);
  }
  if (blocks.configs === undefined) io.stderr.write(`integratord dlq: cannot tell which block each file belongs to: ${blocks.why}\n`);
  if (json) return;
  if (rows.length === 1) {
    io.stdout.write(`no dead letters in ${store.dir}\n`);
    return;
  }
  io.stdout.write(`${table(rows)}\n${plural(rows.length - 1, 'dead letter')}\n${orphans.map((o) => `${o}\n`).join('')}`);
};
