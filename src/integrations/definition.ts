// The contract every integration implements: build requests for an alert, classify the answers.

import type { Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { WazuhPaths } from '../wazuh-home.js';
import type { Step } from '../delivery/step.js';
import type { TemplateTag } from './message-template.js';
import type { Digest } from '../noise/digest.js';
import type { ReceivedRequest, StandIn } from '../stand-ins/stand-in-server.js';
import type { Awaitable, EnrichmentStores } from './enrichment-stores.js';


/** What the daemon knows when a block's integration is created. */
export interface IntegrationEnv {
  readonly paths: WazuhPaths;
  /** Daemon debug level (0, 1, 2): custom scripts get `debug` in argv[4] when ≥ 1. */
  readonly debug: number;
  /**
   * The integrator's metrics, for counters only an integration can see (enrichment cache hits and
   * misses, labelled with `blockLabels(config.index, config.name)`). Optional: library use and specs
   * may leave it out.
   */
  readonly metrics?: Metrics;
  /**
   * The daemon's enrichment caches and api_key quotas, shared by its blocks (enrichment-stores.ts).
   * Absent (library use, specs): each enrichment block keeps stores of its own.
   */
  readonly enrichment?: EnrichmentStores;
}

/** One block's live integration: created once per <integration> block, holds its caches. */
export interface BlockIntegration {
  /** An integration-specific pre-filter (Shuffle's skip list, VirusTotal's md5 check): a reason, counted and logged at debug. */
  skip?(alert: Alert): string | undefined;
  /** The steps that deliver one alert; an empty list delivers nothing and counts as delivered. */
  plan(alert: Alert): readonly Step[];
  /**
   * The steps that deliver a digest of held alerts (noise control), in the integration's documented
   * digest form. Absent: `plan` of the alert-shaped digest (the first alert plus `integratord_digest`).
   */
  planDigest?(digest: Digest): readonly Step[];
  /** Requests per minute allowed for this block's HTTP steps (queued, not refused); none when undefined. */
  readonly requestsPerMinute?: number;
  /**
   * Reserves the next HTTP request of this block and says how many ms to wait for it: the api_key's
   * quota, shared by every block using the key (enrichments). Replaces requestsPerMinute when set.
   */
  readonly requestQuota?: () => Awaitable<number>;
  /** Enrichments: the values an alert would be looked up by (IPs, hashes, URLs), each with whether the cache answers it now (explain). */
  lookups?(alert: Alert): readonly { readonly value: string; readonly cached: boolean }[];
  /** Why this block cannot run (a missing script, say); the block is then disabled with this message. */
  readonly unavailable?: string;
  /** What the block runs with but the operator should know (options it does not use); logged at startup, printed by `check`. */
  readonly warnings?: readonly string[];
}

/** How `integratord demo` runs this integration: against a loopback stand-in of its service. */
export interface IntegrationDemo {
  /** The stand-in's key (`slack`, `webhook` …); integrations sharing a stand-in share the key. */
  readonly service: string;
  /** What the demo's intro calls the service (`Slack`, `a webhook`). */
  readonly label: string;
  /** Starts the stand-in on 127.0.0.1, on a free port. */
  start(): Promise<StandIn>;
  /** The hook_url a block named `blockName` gets, given the stand-in's base URL. */
  hookUrl(base: string, blockName: string): string;
  /** Whether the block named `blockName` sent `request` (when blocks share a stand-in); every request when absent. */
  sentBy?(request: ReceivedRequest, blockName: string): boolean;
  /** A few words about one request, as the service saw it. */
  describe(request: ReceivedRequest): string;
}

export interface Integration {
  /** Wazuh's name (`slack`), or the prefix `custom-` for custom integrations. */
  readonly name: string;
  /** Wazuh's startup checks (reference §1.4): a block missing one is disabled with Wazuh's message. */
  readonly requires: { readonly hookUrl: boolean; readonly apiKey: boolean };
  /**
   * Wazuh's own script for this name reads the alert as JSON only and exits 7 on the legacy
   * format: a block without `<alert_format>json</alert_format>` is warned about (it works here, not in Wazuh).
   */
  readonly jsonOnlyScript: boolean;
  /**
   * The name is ours, not Wazuh's (`teams`, `telegram`, `discord` …): stock Wazuh disables such a
   * block, so `check` warns when it sits in a file named ossec.conf (move it to integratord.conf).
   */
  readonly ours?: true;
  /**
   * The template tags this integration renders (message-template.ts): `check` renders each against
   * a sample alert, and a block carrying a template tag not listed is warned that it is ignored.
   */
  readonly templates?: readonly TemplateTag[];
  /** The demo's stand-in and how its table describes what the service received; no demo row when absent. */
  readonly demo?: IntegrationDemo;
  /** Creates the integration of one block. Must not throw on bad options: report `unavailable`. */
  create(config: IntegrationConfig, env: IntegrationEnv): BlockIntegration;
}
