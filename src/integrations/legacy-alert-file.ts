// Wazuh's legacy 7-line key='value' alert file (alert_format not json), computed on a copy of the alert.

import { field, stringField, type Alert } from '../alerts/alert.js';

const SPACE = 0x20;

/** integratord's full_log byte map: quotes, `!`, `$` and every byte outside 32..122 become spaces. */
const sanitizeLogByte = (b: number): number => {
  switch (b) {
    case 0x27: // '
    case 0x60: // `
    case 0x22: // "
    case 0x21: // !
    case 0x24: // $
      return SPACE;
    case 0x5c: // \
      return 0x2f; // /
    case 0x3b: // ;
      return 0x2c; // ,
    default:
      return b < 32 || b > 122 ? SPACE : b;
  }
};

/** integratord's srcip byte map: `'`, `\`, backtick and every byte outside 46..122 except space become spaces. */
const sanitizeIpByte = (b: number): number => (b === 0x27 || b === 0x5c || b === 0x60 || ((b < 46 || b > 122) && b !== SPACE) ? SPACE : b);

/** The first `length` UTF-8 bytes of `bytes` through full_log's byte map: ASCII, as many characters as bytes. */
const mapLogBytes = (bytes: Buffer, length: number): Buffer => {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = sanitizeLogByte(bytes[i] as number);
  return out;
};

/**
 * full_log as integratord writes it: UTF-8 bytes mapped one by one, then cut at `maxLog`
 * bytes with the last three replaced by `...` — so a log of exactly `maxLog` bytes loses its
 * last three too. The result is ASCII, hence as many characters as bytes.
 */
export const sanitizeFullLog = (text: string, maxLog: number): string => {
  const bytes = Buffer.from(text, 'utf8');
  const cut = bytes.length >= maxLog;
  const out = mapLogBytes(bytes, cut ? maxLog : bytes.length);
  if (cut) out.fill(0x2e, Math.max(0, out.length - 3));
  return out.toString('latin1');
};

/**
 * Any other value of the file through full_log's byte map, not cut: no quote, newline, CR or
 * control byte survives, so a value can neither close its quotes nor start a line of its own.
 * Wazuh writes timestamp, location, rule id and description raw (a hostile location forged keys
 * and ran commands in a script that sources the file); normal analysisd values are unchanged.
 */
export const sanitizeLegacyValue = (text: string): string => {
  const bytes = Buffer.from(text, 'utf8');
  return mapLogBytes(bytes, bytes.length).toString('latin1');
};

/** data.srcip as integratord writes it (no truncation). */
export const sanitizeSrcIp = (text: string): string => {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) bytes[i] = sanitizeIpByte(bytes[i] as number);
  return bytes.toString('latin1');
};

/** cJSON's valueint of rule.level: a number truncated, anything else 0. */
const levelInt = (alert: Alert): number => {
  const level = field(alert, 'rule', 'level');
  return typeof level === 'number' && Number.isFinite(level) ? Math.trunc(level) : 0;
};

/**
 * The seven lines of §4.2, no trailing newline; missing values are empty (level 0). Every value
 * goes through full_log's byte map (sanitizeLegacyValue; full_log is also cut at max_log, srcip
 * first gets its own map): unlike Wazuh, which writes timestamp, location, rule id and
 * description raw, no alert content can add a line or leave its quotes. Pure: unlike Wazuh, the
 * alert other blocks see is never changed.
 */
export const legacyAlertFile = (alert: Alert, maxLog: number): string =>
  [
    `alertdate='${sanitizeLegacyValue(stringField(alert, 'timestamp') ?? '')}'`,
    `alertlocation='${sanitizeLegacyValue(stringField(alert, 'location') ?? '')}'`,
    `ruleid='${sanitizeLegacyValue(stringField(alert, 'rule', 'id') ?? '')}'`,
    `alertlevel='${levelInt(alert)}'`,
    `ruledescription='${sanitizeLegacyValue(stringField(alert, 'rule', 'description') ?? '')}'`,
    `alertlog='${sanitizeFullLog(stringField(alert, 'full_log') ?? '', maxLog)}'`,
    `srcip='${sanitizeLegacyValue(sanitizeSrcIp(stringField(alert, 'data', 'srcip') ?? ''))}'`,
  ].join('\n');
