// One <integration> block as an operator: Envelope in, exactly one Outcome out, counted and logged once here.

import { asyncScheduler, concatMap, defer, EMPTY, finalize, from, isObservable, map, merge, mergeMap, of, Subject, tap, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { alertId, stringField, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { DeadLetterSink } from '../delivery/dead-letter.js';
import type { DestinationPauses } from '../delivery/destination-pauses.js';
import type { HttpSender } from '../delivery/http.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import type { ScriptRunner } from '../delivery/run-script.js';
import type { SmtpSender } from '../delivery/smtp.js';
import type { BlockIntegration } from '../integrations/definition.js';
import type { Step } from '../delivery/step.js';
import { compileFilter } from '../match/compile.js';
import { SKIP_MESSAGES } from '../match/skip-reason.js';
import { describeSilence, type SilenceMatcher } from '../silences/silence.js';
import { log } from '../telemetry/log.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';
import type { RetryListener } from './retry-event.js';
import { executeSteps, type StepContext, type StepDeadlines, type StepsResult } from './execute-steps.js';
import type { BackoffOptions } from './operators/backoff.js';
import { deadLetterWriter } from './dead-letter-writer.js';
import { RateLimit } from './operators/rate-limit.js';
import { mergeDeliveries } from './merge-deliveries.js';
import { isSingleRequest } from './single-request.js';
import { singleRequestDelivery } from './single-request-delivery.js';
import type { Envelope, Outcome } from './outcome.js';
import { errorMessage } from '../errors.js';
import { digestAlert, digestOf, type Digest } from '../noise/digest.js';
import { NoiseStage, type NoiseClock } from '../noise/noise-stage.js';
import type { DigestBatch, NoiseLimits } from '../noise/noise-state.js';
import { MemoryNoiseStore, type NoiseStore } from '../noise/noise-store.js';
import type { DedupClaims } from '../noise/dedup-claims.js';
import { claimedDelivery } from './claimed-delivery.js';

/** Alerts one block delivers at the same time (4): enough to hide a service's latency, gentle on it. */
export const DEFAULT_BLOCK_CONCURRENCY = 4;

export { DEAD_LETTER_RETRY } from './dead-letter-writer.js';

export interface BlockPipelineOptions {
  readonly config: IntegrationConfig;
  /** The block's integration, as created by startupCheck. */
  readonly integration: BlockIntegration;
  readonly http: HttpSender;
  readonly scripts: ScriptRunner;
  readonly queue: QueueWriter;
  /** The e-mail sender (email blocks); see StepContext.smtp. */
  readonly smtp?: SmtpSender;
  readonly deadLetters: DeadLetterSink;
  /** Shared by every block of the integrator. */
  readonly pauses: DestinationPauses;
  readonly metrics: Metrics;
  readonly concurrency?: number;
  readonly scheduler?: SchedulerLike;
  readonly backoff?: BackoffOptions;
  /** Deadline overrides (ms) instead of the config's timeout: for embedding apps and specs. */
  readonly deadlines?: StepDeadlines;
  /** True for an alert the block's filters already took (the library's matchBlock): not filtered again. */
  readonly preMatched?: (alert: Alert) => boolean;
  /** The silences in force (STATE/silences.json): an alert the filters took and a silence matches is skipped as `silenced`. */
  readonly silences?: SilenceMatcher | undefined;
  /** Told each time a delivery is retried (the library's `onRetry`); a throw is logged, never breaks delivery. */
  readonly onRetry?: RetryListener | undefined;
  /**
   * Noise control (blocks with <dedup_by>, <group_by> or <max_per_hour>): where its state persists, its clock (default in
   * memory, wall), its caps beyond the config's, and whether the input's end keeps held alerts held (`holdAtEnd`: a
   * followed file ends only when the daemon stops; they are read and held again after a restart) or sends them (replay).
   */
  readonly noise?: { readonly store?: NoiseStore; readonly clock?: NoiseClock; readonly limits?: Partial<NoiseLimits>; readonly holdAtEnd?: boolean; readonly claims?: DedupClaims | undefined };
}


/**
 * The block's operator. Per envelope: the block's filters (Wazuh's `Skipping: …` at debug, shown with -d) →
 * the integration's `skip` → `plan` → every step with retry-and-timeout → on failure a durable
 * dead letter (its write retried until it succeeds: see `deadLettered`) → one Outcome. Up to `concurrency` alerts at once (outcomes may come out of
 * order; the cursor's watermark orders them). Counts every metric of the block. Never errors;
 * unsubscribing aborts the deliveries in flight (their alerts get no outcome and are read again
 * after a restart).
 */
export const blockPipeline = (options: BlockPipelineOptions): OperatorFunction<Envelope, Outcome> => {
  const { config, integration, metrics } = options;
  const labels = blockLabels(config.index, config.name);
  const scheduler = options.scheduler ?? asyncScheduler;
  const filter = compileFilter(config);
  const limit = integration.requestQuota ?? integration.requestsPerMinute;
  const rateLimit = limit === undefined ? undefined : new RateLimit(limit, { scheduler });
  const where = { block: config.index, integration: config.name };
  const streak = { failingSince: 0 };
  // Once per matched and per delivered alert: summed in bulk, handed to prom-client when the metrics are read.
  const matchedCount = metrics.bulk.of(metrics.alertsMatched, labels);
  const deliveredCount = metrics.bulk.of(metrics.alertsDelivered, labels);

  const skipped = (envelope: Envelope, reason: string, metricReason: string, line: string): Outcome => {
    metrics.alertsSkipped.inc({ ...labels, reason: metricReason });
    if (log.enabled('debug')) log.debug(line, { ...where, alert_id: alertId(envelope.alert) });
    return { kind: 'skipped', seq: envelope.seq, reason };
  };

  const delivered = (envelope: Envelope, result: StepsResult): Outcome => {
    deliveredCount.add(1);
    const at = Date.parse(stringField(envelope.alert, 'timestamp') ?? '');
    if (Number.isFinite(at)) metrics.deliveryLatency.observe(labels, Math.max(0, scheduler.now() - at) / 1000);
    if (log.enabled('debug')) log.debug('AlertDelivered', { ...where, alert_id: alertId(envelope.alert), attempts: result.attempts });
    return { kind: 'delivered', seq: envelope.seq, attempts: result.attempts, alert: envelope.alert };
  };

  const deadLettered = deadLetterWriter({ config, labels, metrics, deadLetters: options.deadLetters, scheduler });

  const run = (steps: readonly Step[], id: string | undefined): Observable<StepsResult> => {
    const ctx: StepContext = {
      config,
      labels,
      http: options.http,
      scripts: options.scripts,
      queue: options.queue,
      ...(options.smtp ? { smtp: options.smtp } : {}),
      pauses: options.pauses,
      metrics,
      scheduler,
      streak,
      ...(rateLimit ? { rateLimit } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.deadlines ? { deadlines: options.deadlines } : {}),
      ...(id === undefined ? {} : { alertId: id }),
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    };
    metrics.inFlight.inc(labels);
    return executeSteps(steps, ctx).pipe(finalize(() => metrics.inFlight.dec(labels)));
  };

  const deliver = (envelope: Envelope, steps: readonly Step[]): Observable<Outcome> =>
    run(steps, alertId(envelope.alert)).pipe(concatMap((result) => (result.delivered ? of(delivered(envelope, result)) : deadLettered(envelope, result))));

  /**
   * Sends a digest through the same retry, Retry-After and dead-letter path as one alert: the
   * integration's digest form (`planDigest`, else the alert-shaped custom-script form). Delivered, every
   * held alert gets a `delivered` outcome; not, one dead letter (the alert-shaped digest) and every held
   * alert a `dead-lettered` outcome. A batch of one alert is that alert, sent as Wazuh would.
   */
  const deliverBatch = (batch: DigestBatch): Observable<Outcome> => {
    const [only] = batch.held;
    if (batch.held.length === 1 && only !== undefined) return planAndDeliver({ alert: only.alert, seq: only.seq });
    const digest: Digest = digestOf(batch);
    const first = batch.held[0];
    if (first === undefined) return EMPTY;
    const envelope = { alert: digestAlert(digest), seq: first.seq };
    const all = (outcome: Outcome): Observable<Outcome> =>
      from(batch.held.map((h): Outcome => (outcome.kind === 'delivered' ? { ...outcome, seq: h.seq, alert: h.alert } : outcome.kind === 'dead-lettered' ? { ...outcome, seq: h.seq, alert: h.alert } : { ...outcome, seq: h.seq })));
    let steps: readonly Step[];
    try {
      steps = integration.planDigest?.(digest) ?? integration.plan(envelope.alert);
    } catch (error) {
      return deadLettered(envelope, { delivered: false, attempts: 0, reason: `cannot build the digest: ${errorMessage(error)}` }, batch).pipe(concatMap(all));
    }
    return run(steps, alertId(digest.first)).pipe(
      concatMap((result) => {
        if (!result.delivered) return deadLettered(envelope, result, batch).pipe(concatMap(all));
        metrics.digestsSent.inc({ ...labels, reason: batch.reason });
        log.info('DigestSent', { ...where, reason: batch.reason, count: digest.count, alert_id: alertId(digest.first), attempts: result.attempts });
        return from(batch.held.map((h) => delivered({ alert: h.alert, seq: h.seq }, result)));
      }),
    );
  };

  const planAndDeliver = (envelope: Envelope): Observable<Outcome> => {
    let steps: readonly Step[];
    try {
      steps = integration.plan(envelope.alert);
    } catch (error) {
      return deadLettered(envelope, { delivered: false, attempts: 0, reason: `cannot build the request: ${errorMessage(error)}` });
    }
    return deliver(envelope, steps);
  };

  /** Noise control's decision for a matched alert: sent, suppressed (final) or held (settled by its digest). */
  const admitted = (envelope: Envelope, stage: NoiseStage, digests: Subject<DigestBatch>): Observable<Outcome> => {
    const { admission, due, durable } = stage.admit({ seq: envelope.seq, alert: envelope.alert });
    for (const batch of due) digests.next(batch);
    // A message that spent the hourly budget goes out once that is journaled: a crash never forgets it was sent.
    const suppressed = (reason: string) => {
      metrics.alertsSuppressed.inc({ ...labels, reason });
      if (log.enabled('debug')) log.debug('AlertSuppressed', { ...where, alert_id: alertId(envelope.alert), reason });
      return of<Outcome>({ kind: 'suppressed', seq: envelope.seq, reason });
    };
    // In a Wazuh cluster, a dedup key another node delivered within its window is suppressed here too.
    const send = () => (durable === undefined ? planAndDeliver(envelope) : from(durable).pipe(concatMap(() => planAndDeliver(envelope))));
    if (admission.kind === 'send') return config.noise === undefined ? send() : claimedDelivery(options.noise?.claims, config.id, config.noise, envelope.alert, send, () => suppressed('dedup'));
    if (admission.kind === 'suppressed') return suppressed(admission.reason);
    if (admission.reason === 'group') metrics.alertsGrouped.inc(labels);
    else metrics.alertsSuppressed.inc({ ...labels, reason: admission.reason }); // beyond the hourly cap: no message of its own (it goes into the cap's digest)
    return of({ kind: 'held', seq: envelope.seq, reason: admission.reason });
  };

  /**
   * The block's decision on an envelope, made at once: an Outcome (skipped), the steps to deliver, or the
   * Observable of what comes next (noise control, a digest, a plan that failed).
   */
  const decide = (envelope: Envelope, stage?: NoiseStage, digests?: Subject<DigestBatch>): Outcome | readonly Step[] | Observable<Outcome> => {
    // A dead-lettered digest sent again (redrive): noise control and the filters already had their say.
    if (envelope.digest !== undefined) return deliverBatch(envelope.digest);
    const alert: Alert = envelope.alert;
    const rejected = options.preMatched?.(alert) === true ? null : filter(alert);
    if (rejected !== null) return skipped(envelope, rejected, rejected, SKIP_MESSAGES[rejected]);
    const silence = options.silences?.match(alert, config.id);
    // Counted once, as skipped{reason="silenced"}: not also as suppressed (issue 18: the two counters add up).
    if (silence !== undefined) return skipped(envelope, 'silenced', 'silenced', `Skipping: silenced by ${describeSilence(silence)}`);
    let own: string | undefined;
    try {
      own = integration.skip?.(alert);
    } catch (error) {
      // A pre-filter that throws does not lose the alert: it is delivered as if not skipped.
      own = undefined;
      log.warning('IntegrationSkipFailed', { ...where, alert_id: alertId(alert), error: errorMessage(error) });
    }
    if (own !== undefined) return skipped(envelope, own, 'integration', /^skipping\b/i.test(own) ? own : `Skipping: ${own}`);
    matchedCount.add(1);
    if (stage !== undefined && digests !== undefined) return admitted(envelope, stage, digests);
    try {
      return integration.plan(alert);
    } catch (error) {
      return deadLettered(envelope, { delivered: false, attempts: 0, reason: `cannot build the request: ${errorMessage(error)}` });
    }
  };

  const handle = (envelope: Envelope, stage?: NoiseStage, digests?: Subject<DigestBatch>): Observable<Outcome> =>
    defer(() => {
      const decided = decide(envelope, stage, digests);
      return isObservable(decided) ? decided : Array.isArray(decided) ? deliver(envelope, decided) : of(decided as Outcome);
    });

  const concurrency = options.concurrency ?? DEFAULT_BLOCK_CONCURRENCY;
  const noise = config.noise;
  if (noise === undefined) {
    // No noise control: the common delivery (one HTTP request) runs as callbacks, everything else as before.
    const single = singleRequestDelivery({ ...options, scheduler, rateLimit, streak, labels, delivered, deadLettered });
    return mergeDeliveries<Envelope, Outcome>((envelope, sink) => {
      const decided = decide(envelope);
      if (Array.isArray(decided) && isSingleRequest(decided)) return single(envelope, decided[0], sink);
      const next = isObservable(decided) ? decided : Array.isArray(decided) ? deliver(envelope, decided) : undefined;
      if (next === undefined) {
        sink.next(decided as Outcome);
        sink.done();
        return undefined;
      }
      const subscription = next.subscribe({ next: (outcome) => sink.next(outcome), error: (error: unknown) => sink.error(error), complete: () => sink.done() });
      return () => subscription.unsubscribe();
    }, concurrency);
  }
  // Noise control: one stage per subscription; digests (due on a timer, on an alert's time, or at the end) are delivered alongside.
  return (source) =>
    defer(() => {
      const stage = new NoiseStage({
        settings: noise,
        blockId: config.id,
        store: options.noise?.store ?? new MemoryNoiseStore(),
        clock: options.noise?.clock ?? 'wall',
        scheduler,
        ...(options.noise?.limits === undefined ? {} : { limits: options.noise.limits }),
        onHeld: (held) => metrics.alertsHeld.set(labels, held),
        onOverflow: (reason, added) => (reason === 'missing_key' ? metrics.noiseKeyMissing.inc(labels, added) : metrics.noiseOverflow.inc({ ...labels, reason }, added)),
      });
      let loaded = false;
      void stage.ready.then(() => (loaded = true));
      const digests = new Subject<DigestBatch>();
      const timed = stage.due$.subscribe((batch) => digests.next(batch));
      const alerts$ = source.pipe(
        concatMap((envelope) => (loaded ? of(envelope) : from(stage.ready).pipe(map(() => envelope)))),
        mergeMap((envelope) => handle(envelope, stage, digests), concurrency),
        tap({
          complete: () => {
            timed.unsubscribe();
            if (options.noise?.holdAtEnd === true) stage.close();
            else for (const batch of stage.end()) digests.next(batch);
            digests.complete();
          },
        }),
      );
      // A digest spends the hourly budget too: sent once that is journaled, like a single alert.
      const sendBatch = (batch: DigestBatch) => (noise.maxPerHour === undefined ? deliverBatch(batch) : from(stage.persist()).pipe(concatMap(() => deliverBatch(batch))));
      return merge(digests.pipe(mergeMap(sendBatch, concurrency)), alerts$).pipe(
        finalize(() => {
          timed.unsubscribe();
          stage.close();
          metrics.alertsHeld.set(labels, 0);
        }),
      );
    });
};
