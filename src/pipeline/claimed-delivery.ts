// An alert noise control would send, sent only by the node that claims its dedup key across a Wazuh cluster.

import { concatMap, from, tap, type Observable } from 'rxjs';
import { alertId, type Alert } from '../alerts/alert.js';
import type { NoiseSettings } from '../config/integration-config.js';
import type { DedupClaims } from '../noise/dedup-claims.js';
import { keyOf } from '../noise/noise-key.js';
import type { Outcome } from './outcome.js';

/**
 * Without claims or a <dedup_by>, `send()` as it is. Otherwise the claim decides: `suppressed()` when
 * another node delivered the key within the window, else `send()`; a delivered outcome marks the key
 * delivered, a dead-lettered one gives the claim up (another node's alert with the key may go out).
 */
export const claimedDelivery = (
  claims: DedupClaims | undefined,
  blockId: string,
  noise: NoiseSettings,
  alert: Alert,
  send: () => Observable<Outcome>,
  suppressed: () => Observable<Outcome>,
): Observable<Outcome> => {
  if (claims === undefined || noise.dedupBy === undefined) return send();
  const { key } = keyOf(noise.dedupBy, alert);
  const id = alertId(alert);
  const windowMs = noise.dedupWindow * 1000;
  return from(claims.claim(blockId, key, id, windowMs)).pipe(
    concatMap((decision) =>
      decision === 'suppressed'
        ? suppressed()
        : send().pipe(
            tap((outcome) => {
              if (outcome.kind === 'delivered') claims.delivered(blockId, key, id, windowMs);
              else if (outcome.kind === 'dead-lettered') claims.release(blockId, key);
            }),
          ),
    ),
  );
};
