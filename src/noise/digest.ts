// A digest of held alerts, and its documented forms: the webhook/Shuffle JSON body and the alert-shaped file of custom scripts.

import { alertId, stringField, type Alert } from '../alerts/alert.js';
import type { DigestBatch } from './noise-state.js';

/** Alert ids a digest lists at most (its count says how many there were). */
export const MAX_DIGEST_IDS = 1000;

/** What every digest form is built from. `alerts` are all the held alerts, in read order. */
export interface Digest {
  readonly reason: DigestBatch['reason'];
  /** The group key (a SHA-256 digest of the group_by values: noise-key.ts), or `max_per_hour`. */
  readonly key: string;
  readonly group: Readonly<Record<string, unknown>>;
  readonly count: number;
  readonly firstTimestamp: string | undefined;
  readonly lastTimestamp: string | undefined;
  /** Ids of the held alerts, at most MAX_DIGEST_IDS. */
  readonly alertIds: readonly string[];
  readonly first: Alert;
  readonly alerts: readonly Alert[];
}

/** The digest of a batch (which holds at least one alert). */
export const digestOf = (batch: DigestBatch): Digest => {
  const alerts = batch.held.map((h) => h.alert);
  const stamps = alerts.map((a) => stringField(a, 'timestamp')).filter((s): s is string => s !== undefined);
  const ids: string[] = [];
  for (const alert of alerts) {
    const id = alertId(alert);
    if (id !== undefined && ids.length < MAX_DIGEST_IDS) ids.push(id);
  }
  return {
    reason: batch.reason,
    key: batch.key,
    group: batch.group,
    count: alerts.length,
    firstTimestamp: stamps[0],
    lastTimestamp: stamps.at(-1),
    alertIds: ids,
    first: alerts[0] ?? {},
    alerts,
  };
};

/** The digest's fields as the JSON forms carry them (snake_case, as documented). */
export const digestFields = (digest: Digest) => ({
  group: digest.group,
  count: digest.count,
  first_timestamp: digest.firstTimestamp ?? null,
  last_timestamp: digest.lastTimestamp ?? null,
  alert_ids: digest.alertIds,
});

/** The generic webhook and Shuffle body: `{"digest":{group,count,first_timestamp,last_timestamp,alert_ids,alert}}`. */
export const digestBody = (digest: Digest): { readonly digest: Record<string, unknown> } => ({ digest: { ...digestFields(digest), alert: digest.first } });

/** The custom-script form: the first alert plus an `integratord_digest` object, so scripts still read rule, agent, full_log. */
export const digestAlert = (digest: Digest): Alert => ({ ...digest.first, integratord_digest: digestFields(digest) });

/** The `n` most frequent values of a dotted field among the digest's alerts, most frequent first (ties in first-seen order). */
export const topValues = (digest: Digest, path: readonly string[], n = 3): readonly { readonly value: string; readonly count: number }[] => {
  const counts = new Map<string, number>();
  for (const alert of digest.alerts) {
    const value = stringField(alert, ...path);
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count).slice(0, n);
};
