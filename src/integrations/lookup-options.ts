// `options.fields` of the enrichments that look up alert fields (AbuseIPDB, MISP): extra dotted alert paths, bounded.

/** The most fields a block may list (each costs one lookup per alert at most). */
export const MAX_LOOKUP_FIELDS = 16;

const DOTTED_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/**
 * Reads `fields` (a list of at most 16 dotted paths; `fallback` when absent); or why it is wrong. `nonEmpty`: an
 * empty list is refused (AbuseIPDB: its fields replace the default ones, so none would look up nothing).
 */
export const lookupFields = (raw: Readonly<Record<string, unknown>> | undefined, fallback: readonly string[] = [], nonEmpty = false): { fields: readonly string[] } | { error: string } => {
  const fields = raw?.['fields'] ?? fallback;
  if (!Array.isArray(fields) || fields.length > MAX_LOOKUP_FIELDS || (nonEmpty && fields.length === 0) || !fields.every((f) => typeof f === 'string' && DOTTED_PATH.test(f))) {
    return { error: `options.fields must be a ${nonEmpty ? 'non-empty ' : ''}list of at most ${MAX_LOOKUP_FIELDS} dotted alert fields such as "data.srcip" (got ${JSON.stringify(fields)})` };
  }
  return { fields: fields as string[] };
};
