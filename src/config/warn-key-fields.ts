// Warns when a <dedup_by>/<group_by> field is not one Wazuh writes: a typo keys every alert as null (one key for all).

import { isKnownAlertField, KNOWN_ALERT_FIELDS } from '../alerts/known-fields.js';
import type { Position } from './diagnostic.js';
import { didYouMean } from './did-you-mean.js';
import type { IntegrationConfig } from './integration-config.js';
import type { RawIntegration } from './read-ossec-conf.js';

const EFFECT = {
  dedup_by: 'every alert without it has the same key (null): after the first, all are suppressed for the window',
  group_by: 'every alert without it falls into one group (null): they go out together in its digests',
} as const;

/**
 * For each key field that is not a known Wazuh alert field (nor below one Wazuh fills per module,
 * see known-fields.ts): a warning at the tag, with the nearest known field when it looks like a typo.
 * A decoder of the site's own may write such a field: the warning says what happens if it does not.
 */
export const warnKeyFields = (raw: RawIntegration, config: IntegrationConfig, warn: (at: Position, message: string) => void): void => {
  const noise = config.noise;
  if (noise === undefined) return;
  for (const [tag, fields] of [['dedup_by', noise.dedupBy], ['group_by', noise.groupBy]] as const) {
    const at = raw.elements.filter((e) => e.name === tag).at(-1)?.at ?? raw.at;
    for (const field of fields ?? []) {
      if (isKnownAlertField(field)) continue;
      const near = didYouMean(field, KNOWN_ALERT_FIELDS);
      warn(at, `<${tag}> field '${field}' is not a field Wazuh writes in alerts (nor in the sample alert): ${EFFECT[tag]}${near === undefined ? '' : `; did you mean '${near}'?`}`);
    }
  }
};
