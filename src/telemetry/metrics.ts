// Every metric integratord exposes, in one registry per integrator instance (prom-client).

import client from 'prom-client';

/** Labels of per-block series: `block` is the 0-based position in ossec.conf. */
export type BlockLabels = { block: string; integration: string };

const BLOCK = ['block', 'integration'] as const;

/**
 * Creates the metric set on its own registry, so that two integrators in one process (or two
 * specs) never share counters. `/metrics` serves `registry.metrics()`.
 */
export const createMetrics = (registry: client.Registry = new client.Registry()) => {
  const counter = (name: string, help: string, labelNames: readonly string[] = BLOCK) =>
    new client.Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
  const gauge = (name: string, help: string, labelNames: readonly string[] = BLOCK) =>
    new client.Gauge({ name, help, labelNames: [...labelNames], registers: [registry] });

  return {
    registry,
    linesRead: counter('integratord_lines_read_total', 'Complete lines read from alert files, per block.'),
    bytesRead: counter('integratord_bytes_read_total', 'Bytes of complete lines read from alert files, per block.'),
    linesRejected: counter('integratord_lines_rejected_total', 'Lines that are not alerts (invalid JSON, overlong, not an object), written to the rejected-lines file.', [...BLOCK, 'reason']),
    linesPrefiltered: counter('integratord_lines_prefiltered_total', 'Lines the prefilter proved no filter of the block can match, never parsed.'),
    alertsMatched: counter('integratord_alerts_matched_total', 'Alerts that passed the block filters.'),
    alertsSkipped: counter('integratord_alerts_skipped_total', 'Alerts passed over by a block, by reason (filter, integration pre-filter).', [...BLOCK, 'reason']),
    alertsDelivered: counter('integratord_alerts_delivered_total', 'Alerts delivered (every request of the alert accepted).'),
    deliveryAttempts: counter('integratord_delivery_attempts_total', 'Attempts of single requests or script runs, by result.', [...BLOCK, 'result']),
    deliveryRetries: counter('integratord_delivery_retries_total', 'Attempts scheduled again after a retryable failure.'),
    deliveryFailures: counter('integratord_delivery_failures_total', 'Failed attempts (timeout, connection error, refused answer), by reason.', [...BLOCK, 'reason']),
    alertsDeadLettered: counter('integratord_alerts_dead_lettered_total', 'Alerts written to the dead-letter file after retries ran out or a final refusal.'),
    deadLetterWriteFailures: counter('integratord_dead_letter_write_failures_total', 'Failed writes of a dead letter (disk full, permissions); each is retried, the alert stays unsettled.'),
    deadLetterWritesBlocked: gauge('integratord_dead_letter_writes_blocked', 'Alerts of the block waiting for their dead-letter write to succeed; /healthz answers 503 while above 0.'),
    inFlight: gauge('integratord_deliveries_in_flight', 'Alerts of the block being delivered now (including waits between retries).'),
    deliveryLatency: new client.Histogram({
      name: 'integratord_delivery_latency_seconds',
      help: 'Time from the alert timestamp to its delivery.',
      labelNames: [...BLOCK],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers: [registry],
    }),
    cursorLagBytes: gauge('integratord_cursor_lag_bytes', 'Bytes between the block cursor and the end of alerts.json.'),
    cursorOffset: gauge('integratord_cursor_offset_bytes', 'Committed byte offset of the block cursor in its current file.'),
    enrichmentCacheHits: counter('integratord_enrichment_cache_hits_total', 'Threat-intelligence lookups answered from the cache.'),
    enrichmentCacheMisses: counter('integratord_enrichment_cache_misses_total', 'Threat-intelligence lookups sent to the service.'),
    enrichmentQuotaLeft: gauge('integratord_enrichment_quota_left', 'Requests left in the service quota of the block (AbuseIPDB: X-RateLimit-Remaining of the last answer; 0 while the daily quota is spent).'),
    quotaWaits: counter('integratord_quota_waits_total', 'Requests that waited for the per-block rate limit or a Retry-After pause.'),
    quotaWaitSeconds: counter('integratord_quota_wait_seconds_total', 'Seconds spent waiting for the rate limit or a Retry-After pause.'),
    enrichmentWaiting: gauge('integratord_enrichment_waiting', 'Lookups of the block waiting for its api_key quota to refill (the service said it is spent): held in flight, the cursor waits for them, read again after a restart.'),
    enrichmentEvents: counter('integratord_enrichment_events_total', 'Events written back to Wazuh (queue socket or --enrichment-out).'),
    blockEnabled: gauge('integratord_block_enabled', '1 when the block passed the startup checks, 0 when disabled.'),
    alertsGrouped: counter('integratord_alerts_grouped_total', 'Alerts held for a group digest (noise control: <group_by>).'),
    alertsSuppressed: counter('integratord_alerts_suppressed_total', 'Alerts not sent on their own, by reason (dedup: a key seen within its <dedup_window>, no message; max_per_hour: beyond the hourly cap, sent in its digest). Silenced alerts count in integratord_alerts_skipped_total{reason="silenced"} only.', [...BLOCK, 'reason']),
    digestsSent: counter('integratord_digests_sent_total', 'Digests delivered (one message for several held alerts), by reason (group, max_per_hour).', [...BLOCK, 'reason']),
    noiseOverflow: counter('integratord_noise_overflow_total', 'Times a noise control cap was reached, by reason (keys: an open key or group forgotten early, its next alert is sent; held: held alerts sent early as a digest). Nothing is dropped.', [...BLOCK, 'reason']),
    noiseKeyMissing: counter('integratord_noise_key_missing_total', 'Matched alerts missing a <dedup_by>/<group_by> field (they share the key of null: a typo in the field suppresses or groups everything).'),
    alertsHeld: gauge('integratord_alerts_held', 'Alerts of the block held for a digest now (unsettled for its cursor until the digest is delivered).'),
    deadLetters: gauge('integratord_dead_letters', 'Dead letters in STATE/dead-letter/ now, by block (its position, or orphaned) and cause (connection, timeout, http_429, http_5xx, http_4xx, invalid_request, script, …).', [...BLOCK, 'cause']),
    deadLettersRedriven: counter('integratord_dead_letters_redriven_total', 'Dead letters sent again (automatic redrive, or dlq redrive through the daemon), by result (delivered, failed, skipped: the block filters no longer take it).', [...BLOCK, 'result']),
    deadLetterNextRedrive: gauge('integratord_dead_letter_next_redrive_seconds', 'Unix time of the next automatic redrive of a dead letter of the block; 0 when none is scheduled (none left, or only permanent causes or past their maximum age).'),
    failingSince: gauge('integratord_block_failing_since_seconds', 'Unix time of the first failure in the current failure streak of the block; 0 when healthy.'),
    lastFailure: gauge('integratord_block_last_failure_seconds', 'Unix time of the last failed delivery attempt of the block; 0 before any.'),
  };
};

export type Metrics = ReturnType<typeof createMetrics>;

/** The label set of one block. */
export const blockLabels = (index: number, integration: string): BlockLabels => ({ block: String(index), integration });
