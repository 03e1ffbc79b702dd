// One URL path segment built from alert content: reserved characters escaped, dot segments kept literal.

/**
 * `value` as one path segment: encodeURIComponent, `:` kept (IPv6 addresses, as requests sends
 * them), and a whole segment of `.` or `..` written `%2E` / `%2E%2E` — else URL resolution removes
 * it and `/hostname/..` becomes a GET of the API base, bearer token included. The HTTP client keeps
 * such a path as written (see HttpClient.send). Any other value is encoded exactly as before.
 */
export const pathSegment = (value: string): string => {
  if (value === '.' || value === '..') return value.replaceAll('.', '%2E');
  return encodeURIComponent(value).replaceAll('%3A', ':');
};
