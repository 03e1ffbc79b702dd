// The SMTP sender (nodemailer): sends an SmtpStep and classifies the server's answer as a Verdict.

import { bodyExcerpt } from './classify-http.js';
import type { SmtpStep, Verdict } from './step.js';

/** Sends e-mails; `close()` aborts the sends in flight. */
export interface SmtpSender {
  /** One attempt; resolves a Verdict (never rejects); stops when `signal` aborts. */
  send(step: SmtpStep, signal: AbortSignal): Promise<Verdict>;
  close(): Promise<void>;
}

/** Characters of a server reply quoted in a reason. */
const REPLY_CHARS = 200;

/** What nodemailer attaches to its errors (NodemailerError): the SMTP reply when there was one. */
interface SmtpFailure {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly message?: string;
}

/** An SMTP reply as a one-line excerpt, secrets scrubbed before the cut (bodyExcerpt). */
const excerpt = (text: string): string => bodyExcerpt(text, REPLY_CHARS);

/**
 * An SMTP failure as a Verdict (RFC 5321): a 4yz reply (421 closing, 450/451 try later, 452 full) and
 * 503 are transient → retry; any other 5yz (550 no such mailbox, 535 bad login, 554) is permanent →
 * drop; no reply at all (connection refused, reset, TLS, timeout) → retry. The reason quotes the
 * reply with registered secrets scrubbed; `status` carries the reply code.
 */
export const classifySmtpError = (error: unknown): Verdict => {
  const failure = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpFailure;
  const code = failure.responseCode;
  if (code === undefined) {
    const why = failure.code === undefined ? (failure.message ?? 'unknown error') : `${failure.code}${failure.message ? `: ${failure.message}` : ''}`;
    // No recipients or a malformed address: nothing any server will ever accept.
    if (failure.code === 'EENVELOPE') return { kind: 'drop', reason: `SMTP ${excerpt(why)}` };
    return { kind: 'retry', reason: `SMTP connection failed: ${excerpt(why)}` };
  }
  const reason = `SMTP ${code}: ${excerpt(failure.response ?? failure.message ?? '')}`;
  return (code >= 400 && code < 500) || code === 503 ? { kind: 'retry', reason, status: code } : { kind: 'drop', reason, status: code };
};

/** `smtp://host:port` or `smtps://host:port` as nodemailer's host, port and secure; undefined for anything else. */
export const smtpEndpoint = (url: string): { host: string; port: number; secure: boolean } | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') return undefined;
  const secure = parsed.protocol === 'smtps:';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return undefined;
  return { host, port: parsed.port === '' ? (secure ? 465 : 587) : Number(parsed.port), secure };
};

/**
 * One connection per e-mail (alerts are rare enough; a pool would hold a login open for nothing),
 * closed when the send ends or its signal aborts.
 */
export class SmtpClient implements SmtpSender {
  private readonly inFlight = new Set<AbortController>();

  async send(step: SmtpStep, signal: AbortSignal): Promise<Verdict> {
    const endpoint = smtpEndpoint(step.url);
    if (endpoint === undefined) return { kind: 'drop', reason: 'hook_url must be smtp://host:port or smtps://host:port' };
    // Loaded on the first e-mail: a dry run, or a daemon without an email block, never loads it (~40 modules).
    const { default: nodemailer } = await import('nodemailer');
    const controller = new AbortController();
    const abort = () => controller.abort(signal.reason);
    if (signal.aborted) return { kind: 'retry', reason: 'SMTP send aborted' };
    signal.addEventListener('abort', abort, { once: true });
    this.inFlight.add(controller);
    const transport = nodemailer.createTransport({
      ...endpoint,
      requireTLS: step.starttls === 'require',
      ignoreTLS: step.starttls === 'never',
      ...(step.auth === undefined ? {} : { auth: { user: step.auth.user, pass: step.auth.pass } }),
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const { message } = step;
      const info = await transport.sendMail({
        from: message.from,
        to: [...message.to],
        subject: message.subject,
        text: message.text,
        headers: { ...message.headers },
        signal: controller.signal,
      });
      const reply = typeof info.response === 'string' ? excerpt(info.response) : '250';
      return { kind: 'delivered', detail: `SMTP ${reply}` };
    } catch (error) {
      return classifySmtpError(error);
    } finally {
      signal.removeEventListener('abort', abort);
      this.inFlight.delete(controller);
      transport.close();
    }
  }

  async close(): Promise<void> {
    for (const controller of this.inFlight) controller.abort(new Error('SMTP client closed'));
    this.inFlight.clear();
  }
}
