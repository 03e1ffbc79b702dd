// Says in words why a block's filter rejected an alert: the field's value against the setting.

import { field } from '../alerts/alert.js';
import type { FilterConfig } from './compile.js';
import { groupPieces, isComparableRuleId } from './compile.js';
import { SKIP_MESSAGES, type SkipReason } from './skip-reason.js';

const show = (value: unknown): string => (value === undefined ? 'missing' : JSON.stringify(value));

/**
 * Wazuh's `Skipping: …` line followed by the values that decided it, e.g.
 * `Skipping: Alert level is too low (rule.level 5 < level 10)`.
 */
export const explainSkip = (config: FilterConfig, alert: unknown, reason: SkipReason): string => {
  const detail = ((): string => {
    switch (reason) {
      case 'no-rule':
        return `rule is ${show(field(alert, 'rule'))}`;
      case 'location-missing':
      case 'location':
        return `location ${show(field(alert, 'location'))} against event_location ${JSON.stringify(config.eventLocation?.pattern ?? '')}`;
      case 'level-missing':
        return `rule.level is missing (analysisd omits level 0); level ${config.level}`;
      case 'level':
        return `rule.level ${show(field(alert, 'rule', 'level'))} < level ${config.level}`;
      case 'group':
        return `rule.groups ${show(field(alert, 'rule', 'groups'))} has none of ${JSON.stringify(groupPieces(config.group ?? ''))} (exact, case-sensitive)`;
      case 'rule-id-missing':
        return `rule.id is ${show(field(alert, 'rule', 'id'))}`;
      case 'rule-id': {
        const ids = (config.ruleIds ?? []).filter(isComparableRuleId);
        return `rule.id ${show(field(alert, 'rule', 'id'))} is not one of ${ids.join(', ') || '(none: <rule_id>0</rule_id> never matches)'}`;
      }
    }
  })();
  return `${SKIP_MESSAGES[reason]} (${detail})`;
};
