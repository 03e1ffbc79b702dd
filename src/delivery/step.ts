// The vocabulary integrations and delivery share: verdicts, HTTP request/response, and the step types.

import type { Transport } from './transport.js';

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
  | { readonly kind: 'retry'; readonly reason: string; readonly afterMs?: number; readonly pause?: boolean; readonly status?: number; readonly code?: string }
  /** Final: no retry; the alert is dead-lettered with this reason. `code`: why no answer came (an HttpErrorCode), when none did. */
  | { readonly kind: 'drop'; readonly reason: string; readonly status?: number; readonly code?: string };

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The block's proxy and private CA (`<proxy>`, `<ca_file>`); direct, with the system CAs, when absent. */
  readonly transport?: Transport;
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

/** How an SMTP connection uses STARTTLS: insist on it, never try it, or use it when the server offers it. */
export type StartTls = 'require' | 'never' | 'opportunistic';

/** One e-mail sent over SMTP (see smtp.ts): a plain-text message to one server, with optional login. */
export interface SmtpStep {
  readonly kind: 'smtp';
  /** `smtp://host:port` (plain, STARTTLS as `starttls` says) or `smtps://host:port` (TLS from the start). */
  readonly url: string;
  readonly starttls: StartTls;
  readonly auth?: { readonly user: string; readonly pass: string };
  readonly message: {
    readonly from: string;
    readonly to: readonly string[];
    readonly subject: string;
    readonly text: string;
    readonly headers: Readonly<Record<string, string>>;
  };
  /** Values that must be shown as **REDACTED** in dry-run and explain output (the password). */
  readonly secrets: readonly string[];
}

export type Step = HttpStep | ExecStep | QueueStep | SmtpStep;
