// Periodically measures how far each block's cursor is behind alerts.json, for metrics and /healthz.

import { stat } from 'node:fs/promises';
import type { HealthMonitor } from '../telemetry/health.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';
import type { Integrator } from './integrator.js';

/** 5 s: lag moves slowly; a stat per tick is nothing. */
export const DEFAULT_LAG_INTERVAL_MS = 5000;

/**
 * Bytes between a block's committed position and the end of alerts.json: exact when the cursor is
 * in alerts.json, a lower bound (the size of alerts.json) while it still drains a rotated file.
 */
export const lagBytes = (position: { identity: { dev: number; ino: number }; offset: number } | undefined, live: { dev: number; ino: number; size: number } | undefined): number => {
  if (live === undefined) return 0;
  if (position === undefined) return 0;
  const same = position.identity.dev === live.dev && position.identity.ino === live.ino;
  return same ? Math.max(0, live.size - position.offset) : live.size;
};

/**
 * Every `intervalMs`: sets integratord_cursor_lag_bytes per block and feeds the health monitor
 * (lag and progress, each block's failure streak from integratord_block_failing_since_seconds and
 * _last_failure_seconds, its alerts waiting for a dead-letter write from integratord_dead_letter_writes_blocked,
 * and the alerts it holds for a digest from integratord_alerts_held, its lookups waiting for a quota from integratord_enrichment_waiting).
 * Returns a function that stops it. Never throws (a missing alerts.json is a lag of 0).
 */
export const watchCursorLag = (
  integrator: Integrator,
  alertsFile: string,
  metrics: Metrics,
  health: HealthMonitor,
  intervalMs = DEFAULT_LAG_INTERVAL_MS,
): (() => void) => {
  const tick = async () => {
    const live = await stat(alertsFile).then(
      (s) => ({ dev: s.dev, ino: s.ino, size: s.size }),
      () => undefined,
    );
    const failing = new Map<string, number>();
    for (const v of (await metrics.failingSince.get()).values) failing.set(String(v.labels['block']), v.value);
    const last = new Map<string, number>();
    for (const v of (await metrics.lastFailure.get()).values) last.set(String(v.labels['block']), v.value);
    const blocked = new Map<string, number>();
    for (const v of (await metrics.deadLetterWritesBlocked.get()).values) blocked.set(String(v.labels['block']), v.value);
    const held = new Map<string, number>();
    for (const v of (await metrics.alertsHeld.get()).values) held.set(String(v.labels['block']), v.value);
    const waiting = new Map<string, number>();
    for (const v of (await metrics.enrichmentWaiting.get()).values) waiting.set(String(v.labels['block']), v.value);
    for (const { config, position } of integrator.committed()) {
      const labels = blockLabels(config.index, config.name);
      const lag = lagBytes(position, live);
      metrics.cursorLagBytes.set(labels, lag);
      health.progressed(config.index, config.name, position?.offset ?? 0, lag);
      const since = failing.get(String(config.index)) ?? 0;
      if (since > 0) health.failed(config.index, config.name, 'delivery attempts failing', since * 1000, (last.get(String(config.index)) || since) * 1000);
      else health.succeeded(config.index, config.name);
      health.deadLetterWrites(config.index, config.name, blocked.get(String(config.index)) ?? 0);
      health.holding(config.index, config.name, held.get(String(config.index)) ?? 0);
      health.waitingForQuota(config.index, config.name, waiting.get(String(config.index)) ?? 0);
    }
  };
  const timer = setInterval(() => void tick().catch(() => undefined), intervalMs);
  timer.unref();
  void tick().catch(() => undefined);
  return () => clearInterval(timer);
};
