// The contract every integration implements: build requests for an alert, classify the answers.

import type { Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { WazuhPaths } from '../wazuh-home.js';

/**
 * What the retry operator does next; integrations decide, the operator only obeys. `status` on
 * retry/drop is the HTTP status behind it when there was an answer (dead letters and onGiveUp
 * report it); the pipeline fills it in from the response when classify leaves it out.
 */
export type Verdict =
  | { readonly kind: 'delivered'; readonly detail?: string }
  /**
   * Try again after a backoff, or after exactly `afterMs` (Retry-After). `pause` holds the
   * destination for every block sending there, instead of hammering it.
   */
  | { readonly kind: 'retry'; readonly reason: string; readonly afterMs?: number; readonly pause?: boolean; readonly status?: number }
  /** Final: no retry; the alert is dead-lettered with this reason. */
  | { readonly kind: 'drop'; readonly reason: string; readonly status?: number };

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One HTTP request of a delivery, with its own classification and optional follow-up steps. */
export interface HttpStep {
  readonly kind: 'http';
  readonly request: HttpRequest;
  /** Values that must be shown as **REDACTED** in dry-run and explain output. */
  readonly secrets: readonly string[];
  classify(response: HttpResponse): Verdict;
  /** Steps to run once this one is delivered (e.g. the write-back of an enrichment result). */
  after?(response: HttpResponse): readonly Step[];
  /** Steps to run when this one is given up (e.g. VirusTotal's error events). */
  onGiveUp?(last: { readonly status?: number; readonly reason: string; readonly timedOut?: boolean }): readonly Step[];
}

/** A run of a custom script with Wazuh's argv contract (see custom-script.ts). */
export interface ExecStep {
  readonly kind: 'exec';
  readonly file: string;
  /** argv[1..] exactly as the script receives them; the alert file path is filled in at run time. */
  readonly args: (alertFile: string, optionsFile: string) => readonly string[];
  /** Content of the alert temp file (JSON line or Wazuh's 7-line legacy format). */
  readonly alertFileContent: string;
  /** Content of the options temp file, when <options> is set. */
  readonly optionsFileContent: string | undefined;
  readonly secrets: readonly string[];
}

/** A datagram written back to analysisd's queue socket (`1:<location>:<json>`). */
export interface QueueStep {
  readonly kind: 'queue';
  readonly message: string;
}

export type Step = HttpStep | ExecStep | QueueStep;

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
}

/** One block's live integration: created once per <integration> block, holds its caches. */
export interface BlockIntegration {
  /** An integration-specific pre-filter (Shuffle's skip list, VirusTotal's md5 check): a reason, counted and logged at debug. */
  skip?(alert: Alert): string | undefined;
  /** The steps that deliver one alert; an empty list delivers nothing and counts as delivered. */
  plan(alert: Alert): readonly Step[];
  /** Requests per minute allowed for this block's HTTP steps (queued, not refused); none when undefined. */
  readonly requestsPerMinute?: number;
  /** Why this block cannot run (a missing script, say); the block is then disabled with this message. */
  readonly unavailable?: string;
}

export interface Integration {
  /** Wazuh's name (`slack`), or the prefix `custom-` for custom integrations. */
  readonly name: string;
  /** Wazuh's startup checks (reference §1.4): a block missing one is disabled with Wazuh's message. */
  readonly requires: { readonly hookUrl: boolean; readonly apiKey: boolean };
  /** Creates the integration of one block. Must not throw on bad options: report `unavailable`. */
  create(config: IntegrationConfig, env: IntegrationEnv): BlockIntegration;
}
