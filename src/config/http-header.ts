// What an HTTP header may hold: the one check shared by <headers> decoding (config) and the HTTP client (delivery).

/** A header value undici refuses (undici's own rule: tab, visible ASCII and Latin-1 only). */
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** An HTTP token (RFC 9110): what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Why undici would refuse these headers, or undefined. Checked before the pool sees them: undici 7.30
 * refuses such a request only after taking a pool connection, which it never gives back, so
 * `connections` of them hang every later request to that origin. Never quotes a value (it may be a key).
 */
export const headerProblem = (headers: Readonly<Record<string, string>>): string | undefined => {
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerPairProblem(name, value);
    if (problem !== undefined) return problem;
  }
  return undefined;
};

/** Why undici would refuse one header (see headerProblem), or undefined. */
export const headerPairProblem = (name: string, value: string): string | undefined => {
  if (!HEADER_NAME.test(name)) return 'invalid header name';
  if (INVALID_HEADER_VALUE.test(value)) return `invalid value in header '${name}'`;
  return undefined;
};
