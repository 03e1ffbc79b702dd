// --shared-state, --shared-state-ca, --node, --cluster: the options of every command that reads or changes a Wazuh cluster's shared state.

import type client from 'prom-client';
import { IntegratordError } from '../errors.js';
import { SharedState } from '../shared-state/shared-state.js';
import { RedisDedupClaims } from '../shared-state/redis-dedup-claims.js';
import { createRedisEnrichmentStores } from '../shared-state/redis-enrichment-stores.js';
import type { IntegratorOptions } from '../pipeline/integrator-options.js';
import type { SharedStateSettings } from '../config/read-shared-state.js';

export const SHARED_STATE_OPTIONS = {
  'shared-state': { type: 'string' },
  'shared-state-ca': { type: 'string' },
  node: { type: 'string' },
  cluster: { type: 'string' },
} as const;

export const SHARED_STATE_HELP = `  --shared-state URL  a Wazuh cluster's shared state: redis://[user:pass@]host:port[/db] or rediss://…
                     (silences, dedup claims shared by every node's integratord; see README "Wazuh cluster")
  --shared-state-ca FILE  PEM CA of the Redis server's certificate (rediss://)
  --node NAME        this node's name, recorded with every claim (default: the hostname)
  --cluster NAME     the namespace of every shared key (default: wazuh)
                     (or <shared_state><url>, <ca_file>, <node>, <cluster> in integratord.conf; options win)`;

/** The values of SHARED_STATE_OPTIONS as parseOptions returns them. */
export interface SharedStateValues {
  readonly 'shared-state'?: string | undefined;
  readonly 'shared-state-ca'?: string | undefined;
  readonly node?: string | undefined;
  readonly cluster?: string | undefined;
}

/**
 * The shared state the options ask for, or integratord.conf's <shared_state> (an option overrides its
 * element), connecting in the background; undefined when neither sets a URL. Throws INTEGRATORD_USAGE
 * for a bad URL or name.
 */
export const openSharedState = (values: SharedStateValues, registry?: client.Registry, file?: SharedStateSettings): SharedState | undefined => {
  const url = values['shared-state'] ?? file?.url;
  if (url === undefined) {
    const stray = (['shared-state-ca', 'node', 'cluster'] as const).find((k) => values[k] !== undefined);
    if (stray !== undefined) throw new IntegratordError('INTEGRATORD_USAGE', `--${stray} only applies with --shared-state (or <shared_state><url> in integratord.conf)`);
    return undefined;
  }
  return new SharedState({ url, node: values.node ?? file?.node, cluster: values.cluster ?? file?.cluster, caFile: values['shared-state-ca'] ?? file?.caFile, registry });
};

/** What an integrator (run, replay) takes from the shared state: dedup claims, enrichment caches and quotas. */
export const clusterParts = (shared: SharedState | undefined): Pick<IntegratorOptions, 'claims' | 'sharedEnrichment'> =>
  shared === undefined ? {} : { claims: new RedisDedupClaims(shared), sharedEnrichment: (local) => createRedisEnrichmentStores(shared, local) };
