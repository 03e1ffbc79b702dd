// Pieces of registered secrets (every run of 8 characters), redacted where a service or a script echoes part of a token.

/** The run of characters that counts as part of a secret: shorter runs occur by chance (`https://`, dates). */
export const SECRET_PIECE_LENGTH = 8;
/** At most this many pieces are kept (a configuration has a few dozen secrets of under 200 characters each). */
const MAX_PIECES = 100_000;
const REDACTED_PIECE = '**REDACTED**';

const pieces = new Set<string>();

/** A piece worth redacting: token characters only. A run with `.`, `@`, `:` or a space belongs to a host, an email or a scheme. */
const TOKEN_PIECE = /^[A-Za-z0-9_+=~-]+$/;

/**
 * Registers the 8-character runs of `secret` made of token characters. Values holding a `/` (URLs
 * and their paths) are left out: their host and path names are not secret, and their token parts
 * are registered on their own; so is the email of an `email:token` api_key (each `:`-separated part
 * holding an `@`).
 */
export const addSecretPieces = (secret: string): void => {
  if (secret.length <= SECRET_PIECE_LENGTH || secret.includes('/')) return;
  for (const part of secret.split(':').filter((p) => !p.includes('@'))) {
    for (let i = 0; i + SECRET_PIECE_LENGTH <= part.length && pieces.size < MAX_PIECES; i++) {
      const piece = part.slice(i, i + SECRET_PIECE_LENGTH);
      if (TOKEN_PIECE.test(piece)) pieces.add(piece);
    }
  }
};

/**
 * Replaces every run of text made of registered pieces with `**REDACTED**`: a service that echoes
 * the first 12 characters of a token, or a line that holds a token cut short, shows none of it.
 * One set lookup per character of the text.
 */
export const scrubSecretPieces = (text: string): string => {
  if (pieces.size === 0 || text.length < SECRET_PIECE_LENGTH) return text;
  let out = '';
  let copied = 0;
  let coveredTo = -1;
  let start = -1;
  for (let i = 0; i + SECRET_PIECE_LENGTH <= text.length; i++) {
    if (!pieces.has(text.slice(i, i + SECRET_PIECE_LENGTH))) continue;
    if (i > coveredTo) {
      if (start >= 0) {
        out += `${text.slice(copied, start)}${REDACTED_PIECE}`;
        copied = coveredTo;
      }
      start = i;
    }
    coveredTo = i + SECRET_PIECE_LENGTH;
  }
  if (start < 0) return text;
  return `${out}${text.slice(copied, start)}${REDACTED_PIECE}${text.slice(coveredTo)}`;
};
