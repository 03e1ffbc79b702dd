// Specs for src/match/skip-reason.ts (Why a block passed over an alert, with the debug line Wazuh prints for the same case).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileFilter } from '../../src/match/compile.js';
import { SKIP_MESSAGES, type SkipReason } from '../../src/match/skip-reason.js';

const SKIP_REASONS = Object.keys(SKIP_MESSAGES) as SkipReason[];
import { compileSregex } from '../../src/match/sregex.js';

/** Wazuh's debug lines, verbatim from integrator.c (reference §2 and §3), typo included. */
const WAZUH_WORDING: Partial<Record<SkipReason, string>> = {
  'no-rule': 'Skipping: Alert does not contain a rule block.',
  location: "Skipping: Location doesn't match",
  level: 'Skipping: Alert level is too low',
  group: "Skipping: Group doesn't match.",
  'rule-id-missing': 'Skipping: Alert does not containg rule id.',
  'rule-id': "Skipping: Rule doesn't match.",
};

const messages = suite('SKIP_MESSAGES');

messages("uses Wazuh's exact wording wherever Wazuh logs the case", () => {
  for (const [reason, text] of Object.entries(WAZUH_WORDING)) assert.is(SKIP_MESSAGES[reason as SkipReason], text, reason);
});

messages('words the cases Wazuh skips silently in its own way, never as one of its lines', () => {
  const wazuh = new Set(Object.values(WAZUH_WORDING));
  for (const reason of ['location-missing', 'level-missing'] as const) {
    assert.match(SKIP_MESSAGES[reason], /^Skipping: /);
    assert.not.ok(wazuh.has(SKIP_MESSAGES[reason]), reason);
  }
  assert.is(new Set(Object.values(SKIP_MESSAGES)).size, SKIP_REASONS.length, 'every message tells its case apart');
});

messages('has a message for every reason the compiled filter returns', () => {
  const block = compileFilter({ level: 10, ruleIds: [5712], group: 'sshd', eventLocation: compileSregex('auth.log') });
  const base = { rule: { level: 12, id: '5712', groups: ['sshd'] }, location: '/var/log/auth.log' };
  const cases: [unknown, SkipReason | null][] = [
    [base, null],
    [{ location: base.location }, 'no-rule'],
    [{ rule: base.rule }, 'location-missing'],
    [{ ...base, location: '/var/log/syslog' }, 'location'],
    [{ ...base, rule: { id: '5712', groups: ['sshd'] } }, 'level-missing'],
    [{ ...base, rule: { ...base.rule, level: 3 } }, 'level'],
    [{ ...base, rule: { ...base.rule, groups: ['web'] } }, 'group'],
    [{ ...base, rule: { level: 12, groups: ['sshd'] } }, 'rule-id-missing'],
    [{ ...base, rule: { ...base.rule, id: '5710' } }, 'rule-id'],
  ];
  const seen = new Set<SkipReason>();
  for (const [alert, expected] of cases) {
    const reason = block(alert);
    assert.is(reason, expected, JSON.stringify(alert));
    if (reason !== null) seen.add(reason);
  }
  assert.equal([...seen].sort(), [...SKIP_REASONS].sort(), 'every reason is reachable and listed');
});

messages.run();
