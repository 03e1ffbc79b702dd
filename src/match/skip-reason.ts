// Why a block passed over an alert, with the debug line Wazuh prints for the same case.

export type SkipReason =
  | 'no-rule'
  | 'location-missing'
  | 'location'
  | 'level-missing'
  | 'level'
  | 'group'
  | 'rule-id-missing'
  | 'rule-id';

/** Wazuh's own wording (`Skipping: …`), kept so that existing log searches still work. */
export const SKIP_MESSAGES: Readonly<Record<SkipReason, string>> = {
  'no-rule': 'Skipping: Alert does not contain a rule block.',
  'location-missing': 'Skipping: Alert has no location (event_location is set).',
  location: "Skipping: Location doesn't match",
  'level-missing': 'Skipping: Alert has no rule.level (level is set).',
  level: 'Skipping: Alert level is too low',
  group: "Skipping: Group doesn't match.",
  'rule-id-missing': 'Skipping: Alert does not containg rule id.',
  'rule-id': "Skipping: Rule doesn't match.",
};
