// STATE/silences.json: the silences, read without following symlinks and replaced atomically.

import { join } from 'node:path';
import { errorCode } from '../errors.js';
import { readStateFile, writeFileAtomically } from '../state/safe-file.js';
import { isActive, type Matcher, type Silence } from './silence.js';

/** The file's name under STATE. */
export const SILENCES_FILE = 'silences.json';

/** 7 days: how long an expired silence stays listed (`silence list --all`) before a write drops it. */
export const EXPIRED_KEPT_MS = 7 * 86_400_000;

/** STATE/silences.json */
export const silencesPath = (state: string): string => join(state, SILENCES_FILE);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));

const matcherOf = (v: unknown): Matcher | undefined =>
  isObject(v) && typeof v.field === 'string' && v.field !== '' && typeof v.value === 'string' ? { field: v.field, value: v.value } : undefined;

/** One record as a Silence, or the reason it is not one. */
const silenceOf = (v: unknown): Silence | string => {
  if (!isObject(v)) return 'not an object';
  if (typeof v.id !== 'string' || v.id === '') return 'no id';
  const matchers = Array.isArray(v.matchers) ? v.matchers.map(matcherOf) : [];
  if (matchers.length === 0 || matchers.some((m) => m === undefined)) return `${v.id}: matchers must be a non-empty list of {field, value} strings`;
  if (!isTime(v.created_at) || !isTime(v.expires_at)) return `${v.id}: created_at and expires_at must be ISO 8601 times`;
  if (v.block !== undefined && typeof v.block !== 'string') return `${v.id}: block must be a block id`;
  return {
    id: v.id,
    matchers: matchers as Matcher[],
    ...(typeof v.block === 'string' ? { block: v.block } : {}),
    created_at: v.created_at,
    expires_at: v.expires_at,
    comment: typeof v.comment === 'string' ? v.comment : '',
    ...(typeof v.created_by === 'string' ? { created_by: v.created_by } : {}),
  };
};

/** The silences of a file's text, and one problem per record left out (a bad record never hides the others). */
export const parseSilences = (text: string): { silences: Silence[]; problems: string[] } => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  if (!isObject(doc) || !Array.isArray(doc.silences)) throw new Error('not {"silences":[…]}');
  const silences: Silence[] = [];
  const problems: string[] = [];
  for (const record of doc.silences) {
    const s = silenceOf(record);
    if (typeof s === 'string') problems.push(s);
    else silences.push(s);
  }
  return { silences, problems };
};

/**
 * Reads STATE/silences.json: no file is no silence. Rejects with the file system's error (a
 * symlink: ELOOP) or with why the text is not a silences file.
 */
export const readSilences = async (state: string): Promise<{ silences: Silence[]; problems: string[] }> => {
  let text: string;
  try {
    text = (await readStateFile(silencesPath(state))).toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { silences: [], problems: [] };
    throw error;
  }
  return parseSilences(text);
};

/**
 * Replaces STATE/silences.json with `silences` (atomically, mode 0600), leaving out those expired
 * for more than EXPIRED_KEPT_MS at `now`. Rejects with the file system's error.
 */
export const writeSilences = async (state: string, silences: readonly Silence[], now: number): Promise<void> => {
  const kept = silences.filter((s) => isActive(s, now - EXPIRED_KEPT_MS));
  await writeFileAtomically(silencesPath(state), `${JSON.stringify({ silences: kept }, null, 2)}\n`);
};
