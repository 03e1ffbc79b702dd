// A Telegram Bot API stand-in: sendMessage with its `{"ok":…}` bodies, entity parsing, flood control.

import { startStandIn, type Reply, type StandIn, type StandInOptions } from './stand-in-server.js';
import { rateLimiter, type RateLimitOptions } from './rate-limiter.js';

const failure = (status: number, description: string, parameters?: Record<string, unknown>): Reply => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters === undefined ? {} : { parameters }) },
});

/** Telegram's answers, to script misbehaviour with `standIn.script(...)`. */
export const TELEGRAM_REPLIES = {
  chatNotFound: failure(400, 'Bad Request: chat not found'),
  unauthorized: failure(401, 'Unauthorized'),
  blocked: failure(403, 'Forbidden: bot was blocked by the user'),
  notFound: failure(404, 'Not Found'),
  migrated: (chatId: number): Reply => failure(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: chatId }),
  /** Flood control: like the real API, the wait is only in the body (`parameters.retry_after`, whole seconds). */
  tooManyRequests: (seconds: number): Reply => failure(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds }),
  badGateway: failure(502, 'Bad Gateway'),
} as const;

/** Longest text sendMessage takes, in characters after entity parsing. */
export const TELEGRAM_MAX_TEXT = 4096;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'tg-spoiler', 'blockquote']);

/** What parse_mode HTML refuses (an unknown tag, an unescaped `<` or `&`, unbalanced tags), else the visible text. */
export const parseTelegramHtml = (html: string): { readonly text: string } | { readonly error: string } => {
  const open: string[] = [];
  let text = '';
  const re = /<(\/?)([a-z-]+)>|&(lt|gt|amp|quot);|[<>&]|[^<>&]+/g;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    if (m[2] !== undefined) {
      if (!TAGS.has(m[2])) return { error: `Bad Request: can't parse entities: unsupported start tag "${m[2]}" at byte offset ${m.index}` };
      if (m[1] === '') open.push(m[2]);
      else if (open.pop() !== m[2]) return { error: `Bad Request: can't parse entities: unmatched end tag at byte offset ${m.index}, expected "</${open.at(-1) ?? ''}>"` };
    } else if (m[3] !== undefined) text += ENTITIES[m[3]] ?? '';
    else if (m[0] === '<' || m[0] === '>' || m[0] === '&') return { error: `Bad Request: can't parse entities: unexpected "${m[0]}" at byte offset ${m.index}` };
    else text += m[0];
  }
  return open.length > 0 ? { error: `Bad Request: can't parse entities: can't find end tag corresponding to start tag "${open.at(-1)}"` } : { text };
};

export interface TelegramStandInOptions extends Omit<StandInOptions, 'answer'> {
  /** Flood control per chat: over `limit` messages in `windowMs` → 429 with `retry_after`; off when absent. */
  readonly rateLimit?: RateLimitOptions;
}

/**
 * Answers like api.telegram.org: POST `/bot<token>/sendMessage` (token `digits:letters`) with a
 * JSON body → 200 `{"ok":true,"result":{message_id, chat, date, text}}`; a malformed token → 401
 * Unauthorized; another method → 404; no chat_id → 400 chat_id is empty; no text, a text over
 * 4096 characters or HTML it cannot parse → 400 with Telegram's description; flooded → 429.
 */
export const startTelegramStandIn = (options: TelegramStandInOptions = {}): Promise<StandIn> => {
  const { rateLimit, ...rest } = options;
  const limiters = new Map<string, (now: number) => number | undefined>();
  let messageId = 0;
  return startStandIn({
    ...rest,
    answer: (request) => {
      const path = /^\/bot([^/]*)\/([A-Za-z]+)$/.exec(request.url.split('?')[0] ?? '');
      if (path === null) return TELEGRAM_REPLIES.notFound;
      if (!/^\d+:[\w-]+$/.test(path[1] ?? '')) return TELEGRAM_REPLIES.unauthorized;
      if (path[2] !== 'sendMessage' || request.method !== 'POST') return TELEGRAM_REPLIES.notFound;
      const body = typeof request.json === 'object' && request.json !== null ? (request.json as Record<string, unknown>) : {};
      const chat = body['chat_id'];
      if (chat === undefined || chat === '') return failure(400, 'Bad Request: chat_id is empty');
      const raw = typeof body['text'] === 'string' ? body['text'] : '';
      const parsed = body['parse_mode'] === 'HTML' ? parseTelegramHtml(raw) : { text: raw };
      if ('error' in parsed) return failure(400, parsed.error);
      if (parsed.text.trim() === '') return failure(400, 'Bad Request: message text is empty');
      if ([...parsed.text].length > TELEGRAM_MAX_TEXT) return failure(400, 'Bad Request: message is too long');
      if (rateLimit !== undefined) {
        const key = String(chat);
        const limiter = limiters.get(key) ?? rateLimiter(rateLimit);
        limiters.set(key, limiter);
        const wait = limiter(request.receivedAt);
        if (wait !== undefined) return TELEGRAM_REPLIES.tooManyRequests(Math.ceil(wait / 1000));
      }
      messageId += 1;
      return { status: 200, body: { ok: true, result: { message_id: messageId, chat: { id: chat }, date: Math.floor(request.receivedAt / 1000), text: parsed.text } } };
    },
  });
};
