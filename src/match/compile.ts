// Compiles one block's filters into a predicate that checks alerts in Wazuh's order.

import { cAtoi } from './c-atoi.js';
import type { SkipReason } from './skip-reason.js';
import type { Sregex } from './sregex.js';

/** The filter settings of one <integration> block (a subset of IntegrationConfig). */
export interface FilterConfig {
  readonly level: number;
  readonly ruleIds: readonly number[] | undefined;
  readonly group: string | undefined;
  readonly eventLocation: Sregex | undefined;
}

/** Returns `null` when the block takes the alert, else the first filter that rejected it. */
export type BlockFilter = (alert: unknown) => SkipReason | null;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits `<group>` on commas as Wazuh's loop does: a trailing empty piece is never compared. */
export const groupPieces = (group: string): readonly string[] => {
  const pieces = group.split(',');
  if (pieces[pieces.length - 1] === '') pieces.pop();
  return pieces;
};

/**
 * Ids a rule.id can equal: 0 only terminates Wazuh's list, and ids above INT32_MAX could only
 * match through atoi's wrap-around, which we do not reproduce (see c-atoi.ts).
 */
export const isComparableRuleId = (id: number): boolean => id > 0 && id <= 2147483647;

/** cJSON's valueint: numbers truncated and clamped to int, anything else 0. */
const cJsonValueInt = (v: unknown): number => {
  if (typeof v !== 'number') return 0;
  if (v >= 2147483647) return 2147483647;
  if (v <= -2147483648) return -2147483648;
  return Math.trunc(v);
};

/**
 * Builds the predicate once per block. Order and missing-field behaviour are Wazuh's:
 * no `rule` object → never; then event_location → level → group → rule_id, each skipped when
 * unset. Defined where Wazuh crashes: a non-string `location` counts as missing; a non-string
 * `rule.id` counts as missing; non-string entries of `rule.groups` are ignored.
 * The level comparison is Wazuh's unsigned one (a negative rule.level passes every level).
 */
export const compileFilter = (config: FilterConfig): BlockFilter => {
  const location = config.eventLocation;
  const level = config.level >>> 0;
  const groups = config.group === undefined ? undefined : new Set(groupPieces(config.group));
  const ruleIds = config.ruleIds === undefined ? undefined : new Set(config.ruleIds.filter(isComparableRuleId));

  return (alert) => {
    if (!isObject(alert)) return 'no-rule';
    const rule = alert['rule'];
    if (!isObject(rule)) return 'no-rule';

    if (location !== undefined) {
      const subject = alert['location'];
      if (typeof subject !== 'string') return 'location-missing';
      if (!location.test(subject)) return 'location';
    }

    if (level !== 0) {
      const value = rule['level'];
      if (value === undefined) return 'level-missing';
      if (cJsonValueInt(value) >>> 0 < level) return 'level';
    }

    if (groups !== undefined) {
      const list = rule['groups'];
      let found = false;
      if (Array.isArray(list)) {
        for (const g of list) {
          if (typeof g === 'string' && groups.has(g)) {
            found = true;
            break;
          }
        }
      }
      if (!found) return 'group';
    }

    if (ruleIds !== undefined) {
      const id = rule['id'];
      if (typeof id !== 'string') return 'rule-id-missing';
      const n = cAtoi(id);
      if (n === undefined || !ruleIds.has(n)) return 'rule-id';
    }

    return null;
  };
};
