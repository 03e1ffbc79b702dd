// The pieces of a secret that must never show: every run of 8 of its characters, and the finder of those that do.

/** Every run of `n` characters of `secret` (the whole secret when shorter). */
export const secretPieces = (secret: string, n = 8): string[] =>
  secret.length <= n ? [secret] : Array.from({ length: secret.length - n + 1 }, (_, i) => secret.slice(i, i + n));

/** The pieces of `secret` found in `text`: empty when nothing of it leaked. */
export const leakedPieces = (text: string, secret: string, n = 8): string[] => secretPieces(secret, n).filter((p) => text.includes(p));

/** Texts with `secret` starting at every position from `before` characters before `cut` to `after` characters after it. */
export const splitAround = (secret: string, cut: number, before = secret.length + 2, after = 3): { start: number; text: string }[] =>
  Array.from({ length: before + after + 1 }, (_, i) => cut - before + i)
    .filter((start) => start >= 0)
    .map((start) => ({ start, text: `${'e'.repeat(start)}${secret} — rest of the answer` }));
