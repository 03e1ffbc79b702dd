// Runs one block over its own line source: prefilter → parse → deliver → watermark → cursor.

import { filter, finalize, map, merge, share, tap, type Observable, type OperatorFunction } from 'rxjs';
import { parseAlertLine } from '../alerts/parse.js';
import { pullLines, type Numbered } from '../alerts/pull-lines.js';
import type { CursorPosition, CursorStore } from '../alerts/cursor-store.js';
import type { RejectedLines } from '../alerts/rejected-lines.js';
import type { LineSource, SourceLine } from '../alerts/source-line.js';
import { Watermark } from '../alerts/watermark.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { LinePrefilter } from '../match/prefilter.js';
import { log } from '../telemetry/log.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';
import type { Envelope, Outcome } from './outcome.js';

export interface BlockRunnerParts {
  readonly config: IntegrationConfig;
  readonly source: LineSource;
  /** Envelope → Outcome: the block pipeline, or the dry-run printer. */
  readonly deliver: OperatorFunction<Envelope, Outcome>;
  readonly metrics: Metrics;
  /** Lines that may match (decoded text); undefined: parse every line. Not applied while debug logs are on (-d). */
  readonly prefilter?: LinePrefilter | undefined;
  /** Where non-alert lines are kept (undefined: only counted and logged). */
  readonly rejected?: RejectedLines | undefined;
  /** The block's durable cursor (the daemon); replay and library runs have none. */
  readonly cursor?: { readonly store: CursorStore; readonly key: string } | undefined;
  /** Lines read ahead of their outcome (memory bound and duplicates after a crash). */
  readonly window: number;
}

export interface BlockRun {
  /** One outcome per line read; completes when the source ends and every delivery settled. */
  readonly outcomes$: Observable<Outcome>;
  /** The block's low watermark: the position every earlier line is settled up to. */
  committed(): CursorPosition | undefined;
}

/**
 * Only lines shaped like one JSON object go through the prefilter: a truncated or garbled line
 * (the usual corruption) is then always parsed, rejected, logged and kept in rejected-lines.jsonl
 * instead of being counted as prefiltered.
 */
export const looksLikeAnObject = (text: string): boolean => {
  const trimmed = text.trim();
  return trimmed.startsWith('{') && trimmed.endsWith('}');
};

type Classified = { readonly envelope: Envelope } | { readonly outcome: Outcome };

/**
 * Builds the block's stream. Reading is pull-based: a line is read only while fewer than `window`
 * lines await their outcome, so memory stays bounded whatever the backlog. Each outcome settles
 * its line in the watermark and moves the cursor (throttled writes by the store). Nothing is
 * subscribed until `outcomes$` is.
 */
export const runBlock = (parts: BlockRunnerParts): BlockRun => {
  const { config, metrics, prefilter, rejected, cursor } = parts;
  const labels = blockLabels(config.index, config.name);
  const where = { block: config.index, integration: config.name };
  const watermark = new Watermark();
  const { lines$, release } = pullLines(() => parts.source.next(), { window: parts.window });

  const classify = ({ seq, value: line }: Numbered<SourceLine>): Classified => {
    watermark.track(seq, line);
    metrics.linesRead.inc(labels);
    metrics.bytesRead.inc(labels, line.end - line.start);
    // With -d every line is parsed: the prefilter cannot say why, and -d promises Wazuh's `Skipping: …` reason.
    if (prefilter !== undefined && looksLikeAnObject(line.text) && !log.enabled('debug') && !prefilter(line.text)) {
      metrics.linesPrefiltered.inc(labels);
      return { outcome: { kind: 'skipped', seq, reason: 'prefiltered' } };
    }
    const parsed = parseAlertLine(line.text);
    if (parsed.ok) return { envelope: { alert: parsed.alert, seq } };
    metrics.linesRejected.inc({ ...labels, reason: parsed.reason });
    const fresh = rejected?.record({
      file: line.file,
      path: line.path,
      offset: line.start,
      length: line.end - line.start - 1,
      reason: parsed.reason,
      detail: parsed.detail,
      line: line.text,
    });
    // Several blocks read the same line: the warning is written once, by the first.
    if (fresh !== false) log.warning(`Invalid JSON alert read from '${line.path}'`, { ...where, offset: line.start, reason: parsed.detail });
    return { outcome: { kind: 'rejected', seq, reason: parsed.reason } };
  };

  const settle = (outcome: Outcome) => {
    watermark.settle(outcome.seq);
    release();
    const position = watermark.committed();
    if (cursor !== undefined && position !== undefined) {
      cursor.store.save(cursor.key, position);
      metrics.cursorOffset.set(labels, position.offset);
    }
  };

  const classified$ = lines$.pipe(map(classify), share());
  const early$ = classified$.pipe(
    filter((c): c is { outcome: Outcome } => 'outcome' in c),
    map((c) => c.outcome),
  );
  const delivered$ = classified$.pipe(
    filter((c): c is { envelope: Envelope } => 'envelope' in c),
    map((c) => c.envelope),
    parts.deliver,
  );
  const outcomes$ = merge(early$, delivered$).pipe(
    tap(settle),
    finalize(() => {
      if (cursor !== undefined) void cursor.store.flush();
    }),
  );
  return { outcomes$, committed: () => watermark.committed() };
};
