// An SMTP stand-in (smtp-server) on 127.0.0.1: checks the login, records each message, scripted 421/451/550 answers.

import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Behaviour, ReceivedRequest, Reply, StandIn } from './stand-in-server.js';

/** SMTP answers, to script with `standIn.script(...)` (`status` is the reply code, `body` its text). */
export const SMTP_REPLIES = {
  closing: { status: 421, body: '4.7.0 Too many connections, try again later' },
  tryLater: { status: 451, body: '4.7.1 Rate limit exceeded, try again later' },
  noMailbox: { status: 550, body: '5.1.1 No such user here' },
} as const satisfies Record<string, Reply>;

export interface SmtpMessage {
  readonly from: string;
  readonly to: readonly string[];
  /** Header names lower-cased, folded lines joined. */
  readonly headers: Readonly<Record<string, string>>;
  readonly subject: string;
  /** The text body, quoted-printable decoded. */
  readonly text: string;
  readonly user: string | undefined;
}

export interface SmtpStandIn extends StandIn {
  readonly messages: SmtpMessage[];
}

export interface SmtpStandInOptions {
  /** The password accepted (any user); no login needed when absent. */
  readonly password?: string;
}

const parseHeaders = (head: string): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
};

const decodeQuotedPrintable = (text: string): string =>
  Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

/** Parses the raw message the stand-in received (headers and a single text part). */
export const parseMessage = (raw: string, from: string, to: readonly string[], user: string | undefined): SmtpMessage => {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(split < 0 ? raw : raw.slice(0, split));
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const encoding = headers['content-transfer-encoding']?.toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { from, to, headers, subject: headers['subject'] ?? '', text: text.replace(/\r\n/g, '\n').replace(/\n$/, ''), user };
};

const smtpError = (reply: Reply): Error & { responseCode: number } =>
  Object.assign(new Error(typeof reply.body === 'string' ? reply.body : 'error'), { responseCode: reply.status });

/** Starts an SMTP stand-in on 127.0.0.1 (no TLS; STARTTLS not offered). Its `url` is `smtp://127.0.0.1:PORT`. */
export const startSmtpStandIn = async (options: SmtpStandInOptions = {}): Promise<SmtpStandIn> => {
  const messages: SmtpMessage[] = [];
  const received: ReceivedRequest[] = [];
  const queue: Behaviour[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let count = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: options.password === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, callback) => {
      if (options.password !== undefined && auth.password !== options.password) {
        callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
        return;
      }
      callback(null, { user: auth.username });
    },
    onData: (stream: SMTPServerDataStream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        count += 1;
        for (const w of waiters.filter((x) => count >= x.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        const behaviour = queue.shift();
        if (behaviour !== undefined && behaviour !== 'hang' && behaviour !== 'reset') {
          callback(smtpError(behaviour));
          return;
        }
        if (behaviour === 'hang') return;
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        const to = session.envelope.rcptTo.map((r) => r.address);
        const user = typeof session.user === 'string' ? session.user : undefined;
        const message = parseMessage(Buffer.concat(chunks).toString('utf8'), from, to, user);
        messages.push(message);
        received.push({ method: 'DATA', url: to.join(','), headers: message.headers, body: message.text, json: message, receivedAt: Date.now(), remotePort: 0 });
        callback(null, 'Message queued');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    messages,
    get count() {
      return count;
    },
    script: (...behaviours) => queue.push(...behaviours),
    setDelay: () => undefined,
    waitFor: (n) => (count >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count: n, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
