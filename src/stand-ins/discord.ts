// A Discord execute-webhook stand-in: 204 or (wait=true) 200 with the message, form errors, the webhook bucket's 429s.

import { startStandIn, type Reply, type StandIn, type StandInOptions } from './stand-in-server.js';
import { rateLimiter, type RateLimitOptions } from './rate-limiter.js';

/** Discord's bucket for one webhook: 5 requests per 2 s. */
export const DISCORD_WEBHOOK_LIMIT: RateLimitOptions = { limit: 5, windowMs: 2000 };

/** Discord's answers, to script misbehaviour with `standIn.script(...)`. */
export const DISCORD_REPLIES = {
  unknownWebhook: { status: 404, body: { message: 'Unknown Webhook', code: 10015 } },
  invalidToken: { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } },
  emptyMessage: { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } },
  /** The bucket's 429: `retry_after` (fractional seconds) in the body, `X-RateLimit-Reset-After` and a whole-second `Retry-After`. */
  rateLimited: (seconds: number, global = false): Reply => ({
    status: 429,
    headers: {
      'retry-after': String(Math.ceil(seconds)),
      'x-ratelimit-limit': String(DISCORD_WEBHOOK_LIMIT.limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': seconds.toFixed(3),
      'x-ratelimit-bucket': 'demo-webhook-bucket',
      'x-ratelimit-scope': global ? 'global' : 'user',
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    },
    body: { message: 'You are being rate limited.', retry_after: Number(seconds.toFixed(3)), global },
  }),
  badGateway: { status: 502, body: '<html><body>502 Bad Gateway</body></html>' },
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Discord's `Invalid Form Body` checks of the embeds it enforces, as `{path: message}` (empty when valid). */
export const discordFormErrors = (json: Record<string, unknown>): Record<string, string> => {
  const errors: Record<string, string> = {};
  const embeds = Array.isArray(json['embeds']) ? json['embeds'] : [];
  if (embeds.length > 10) errors['embeds'] = 'Must be 10 or fewer in length.';
  let total = 0;
  embeds.forEach((embed: unknown, i) => {
    if (!isObject(embed)) return void (errors[`embeds.${i}`] = 'Must be an object.');
    const limit = (key: string, value: string, max: number) => {
      total += value.length;
      if (value.length > max) errors[`embeds.${i}.${key}`] = `Must be ${max} or fewer in length.`;
    };
    limit('title', text(embed['title']), 256);
    limit('description', text(embed['description']), 4096);
    limit('footer.text', text(isObject(embed['footer']) ? embed['footer']['text'] : ''), 2048);
    const colour = embed['color'];
    if (colour !== undefined && (!Number.isInteger(colour) || (colour as number) < 0 || (colour as number) > 0xffffff)) errors[`embeds.${i}.color`] = 'Int value should be less than or equal to 16777215.';
    if (embed['timestamp'] !== undefined && Number.isNaN(Date.parse(text(embed['timestamp'])))) errors[`embeds.${i}.timestamp`] = 'Could not parse timestamp. Should be ISO8601.';
    const fields = Array.isArray(embed['fields']) ? embed['fields'] : [];
    if (fields.length > 25) errors[`embeds.${i}.fields`] = 'Must be 25 or fewer in length.';
    fields.forEach((f: unknown, j) => {
      const name = text(isObject(f) ? f['name'] : undefined);
      const value = text(isObject(f) ? f['value'] : undefined);
      if (name === '' || value === '') errors[`embeds.${i}.fields.${j}`] = 'This field is required';
      limit(`fields.${j}.name`, name, 256);
      limit(`fields.${j}.value`, value, 1024);
    });
  });
  if (total > 6000) errors['embeds'] = 'Embed size exceeds maximum size of 6000';
  return errors;
};

export interface DiscordStandInOptions extends Omit<StandInOptions, 'answer'> {
  /** The webhook bucket (Discord: DISCORD_WEBHOOK_LIMIT); off when absent. */
  readonly rateLimit?: RateLimitOptions;
}

/**
 * Answers like discord.com: POST `/api/webhooks/<id>/<token>` with JSON carrying content or embeds
 * → 204, or 200 with the created message under `?wait=true`; no content and no embeds → 400
 * (50006); an embed over Discord's limits → 400 Invalid Form Body (50035); another path → 404
 * Unknown Webhook; over the bucket (when `rateLimit` is set) → 429, one bucket per webhook.
 */
export const startDiscordStandIn = (options: DiscordStandInOptions = {}): Promise<StandIn> => {
  const { rateLimit, ...rest } = options;
  const buckets = new Map<string, (now: number) => number | undefined>();
  let id = 1_100_000_000_000_000_000n;
  return startStandIn({
    ...rest,
    answer: (request) => {
      const url = new URL(request.url, 'http://stand-in');
      const hook = /^\/api\/webhooks\/(\d+)\/([\w-]+)$/.exec(url.pathname);
      if (request.method !== 'POST' || hook === null) return DISCORD_REPLIES.unknownWebhook;
      if (rateLimit !== undefined) {
        const bucket = buckets.get(url.pathname) ?? rateLimiter(rateLimit);
        buckets.set(url.pathname, bucket);
        const wait = bucket(request.receivedAt);
        if (wait !== undefined) return DISCORD_REPLIES.rateLimited(wait / 1000);
      }
      if (!isObject(request.json)) return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
      const json = request.json;
      const hasEmbeds = Array.isArray(json['embeds']) && json['embeds'].length > 0;
      if (text(json['content']) === '' && !hasEmbeds) return DISCORD_REPLIES.emptyMessage;
      const errors = discordFormErrors(json);
      if (Object.keys(errors).length > 0) return { status: 400, body: { code: 50035, errors, message: 'Invalid Form Body' } };
      if (url.searchParams.get('wait') !== 'true') return { status: 204 };
      id += 1n;
      const message = { id: String(id), type: 0, content: text(json['content']), embeds: json['embeds'] ?? [], webhook_id: hook[1], channel_id: '1000000000000000001', timestamp: new Date(request.receivedAt).toISOString() };
      return { status: 200, body: message };
    },
  });
};
