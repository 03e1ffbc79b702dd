// The options MISP and OpenCTI add to the enrichment ones: extra alert fields to look up, the negative-answer TTL.

/** Seconds a "nothing known" answer is reused: shorter than the cache TTL, an indicator may be added soon. */
export const DEFAULT_NEGATIVE_TTL_SECONDS = 600;
/** The most extra fields a block may list (each costs one lookup per alert at most). */
export const MAX_LOOKUP_FIELDS = 16;

export interface LookupOptions {
  /** Dotted alert fields looked up besides the community script's IOCs. */
  readonly fields: readonly string[];
  readonly negativeTtlSeconds: number;
}

/** Reads `fields` (a list of dotted paths, default none) and `negative_cache_ttl_seconds` (default 600); or why they are wrong. */
export const lookupOptions = (raw: Readonly<Record<string, unknown>> | undefined): LookupOptions | { error: string } => {
  const fields = raw?.['fields'] ?? [];
  if (!Array.isArray(fields) || fields.length > MAX_LOOKUP_FIELDS || !fields.every((f) => typeof f === 'string' && /^[^.\s]+(\.[^.\s]+)*$/.test(f))) {
    return { error: `options.fields must be a list of at most ${MAX_LOOKUP_FIELDS} dotted alert fields such as "data.url" (got ${JSON.stringify(fields)})` };
  }
  const negative = raw?.['negative_cache_ttl_seconds'] ?? DEFAULT_NEGATIVE_TTL_SECONDS;
  if (typeof negative !== 'number' || !Number.isFinite(negative) || negative < 0) return { error: `options.negative_cache_ttl_seconds must be a number of seconds ≥ 0 (got ${JSON.stringify(negative)})` };
  return { fields: fields as string[], negativeTtlSeconds: negative };
};
