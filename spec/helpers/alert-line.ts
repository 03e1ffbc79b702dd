// One small alert in analysisd's shape, as an alerts.json line: id, level and timestamp chosen by the spec.

export interface AlertLineSpec {
  /** rule.level; omitted from the alert when 0, as analysisd does. */
  readonly level?: number;
  readonly ruleId?: string;
  readonly timestamp?: string;
  readonly location?: string;
}

/** `{"timestamp","rule":{level,description,id,groups},"agent","id","full_log","location"}` compact. */
export const alertLine = (id: string, spec: AlertLineSpec = {}): string => {
  const level = spec.level ?? 12;
  return JSON.stringify({
    timestamp: spec.timestamp ?? '2026-11-28T01:00:00.000+0000',
    rule: { ...(level === 0 ? {} : { level }), description: `spec alert ${id}`, id: spec.ruleId ?? '5712', groups: ['syslog', 'sshd'] },
    agent: { id: '001', name: 'web-01' },
    id,
    full_log: `sshd[1]: spec alert ${id}`,
    location: spec.location ?? '/var/log/auth.log',
  });
};

/** The `id` of each JSON body a stand-in received. */
export const receivedIds = (received: readonly { readonly json: unknown }[]): string[] =>
  received.map((r) => (typeof r.json === 'object' && r.json !== null ? String((r.json as Record<string, unknown>)['id']) : '?'));
