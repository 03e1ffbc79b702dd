// Seeded generator of realistic Wazuh alerts (analysisd's compact JSON, its key order) for benches and specs.

/** mulberry32: a small, fast, seedable PRNG; the same seed gives the same corpus everywhere. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Random = () => number;
type Alert = Record<string, unknown>;

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const hex = (r: Random, n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
const int = (r: Random, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const publicIp = (r: Random): string => `${pick(r, [45, 81, 103, 185, 200])}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;
const privateIp = (r: Random): string => `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;

const COMPLIANCE = {
  pci_dss: ['10.2.4', '10.2.5'],
  gpg13: ['7.1'],
  gdpr: ['IV_35.7.d', 'IV_32.2'],
  hipaa: ['164.312.b'],
  nist_800_53: ['AU.14', 'AC.7'],
  tsc: ['CC6.1', 'CC6.8', 'CC7.2', 'CC7.3'],
};

interface RuleSpec {
  readonly id: string;
  readonly level: number;
  readonly description: string;
  readonly groups: readonly string[];
}

const SSHD: readonly RuleSpec[] = [
  { id: '5710', level: 5, description: 'sshd: Attempt to login using a non-existent user', groups: ['syslog', 'sshd', 'authentication_failed', 'invalid_login'] },
  { id: '5712', level: 10, description: 'sshd: brute force trying to get access to the system. Non existent user.', groups: ['syslog', 'sshd', 'authentication_failures'] },
  { id: '5715', level: 3, description: 'sshd: authentication success.', groups: ['syslog', 'sshd', 'authentication_success'] },
  { id: '5716', level: 5, description: 'sshd: authentication failed.', groups: ['syslog', 'sshd', 'authentication_failed'] },
  { id: '5720', level: 10, description: 'sshd: Multiple authentication failures.', groups: ['syslog', 'sshd', 'authentication_failures'] },
  { id: '5760', level: 5, description: 'sshd: authentication failed.', groups: ['syslog', 'sshd', 'authentication_failed'] },
  { id: '5551', level: 10, description: 'PAM: Multiple failed logins in a small period of time.', groups: ['pam', 'syslog', 'authentication_failures'] },
  { id: '5503', level: 5, description: 'PAM: User login failed.', groups: ['pam', 'syslog', 'authentication_failed'] },
];
const SYSCHECK: readonly RuleSpec[] = [
  { id: '550', level: 7, description: 'Integrity checksum changed.', groups: ['ossec', 'syscheck', 'syscheck_entry_modified', 'syscheck_file'] },
  { id: '553', level: 7, description: 'File deleted.', groups: ['ossec', 'syscheck', 'syscheck_entry_deleted', 'syscheck_file'] },
  { id: '554', level: 5, description: 'File added to the system.', groups: ['ossec', 'syscheck', 'syscheck_entry_added', 'syscheck_file'] },
];
const WEB: readonly RuleSpec[] = [
  { id: '31101', level: 5, description: 'Web server 400 error code.', groups: ['web', 'accesslog', 'attack'] },
  { id: '31103', level: 7, description: 'SQL injection attempt.', groups: ['web', 'accesslog', 'attack', 'sql_injection'] },
  { id: '31105', level: 6, description: 'XSS (Cross Site Scripting) attempt.', groups: ['web', 'accesslog', 'attack'] },
  { id: '31151', level: 10, description: 'Multiple web server 400 error codes from same source ip.', groups: ['web', 'accesslog', 'web_scan', 'recon'] },
  { id: '31106', level: 12, description: 'A web attack returned code 200 (success).', groups: ['web', 'accesslog', 'attack'] },
];
const WINDOWS: readonly RuleSpec[] = [
  { id: '60122', level: 5, description: 'Logon failure - Unknown user or bad password.', groups: ['windows', 'windows_security', 'authentication_failed'] },
  { id: '60106', level: 3, description: 'Windows logon success.', groups: ['windows', 'windows_security', 'authentication_success'] },
  { id: '92652', level: 12, description: 'Successful Remote Logon Detected - User:\\ADMIN - NTLM authentication, possible pass-the-hash attack.', groups: ['windows', 'windows_security', 'authentication_success'] },
  { id: '60204', level: 10, description: 'Multiple Windows logon failures.', groups: ['windows', 'windows_security', 'authentication_failures'] },
];
const OTHER: readonly RuleSpec[] = [
  { id: '510', level: 7, description: 'Host-based anomaly detection event (rootcheck).', groups: ['ossec', 'rootcheck'] },
  { id: '502', level: 3, description: 'Wazuh server started.', groups: ['ossec'] },
  { id: '1002', level: 2, description: 'Unknown problem somewhere in the system.', groups: ['syslog', 'errors'] },
  { id: '530', level: 0, description: 'Listened ports status (netstat) changed.', groups: ['ossec'] },
  { id: '100200', level: 13, description: 'Local rule: critical service down.', groups: ['local', 'service_availability'] },
];

const timestamp = (r: Random, n: number): string => {
  const ms = Date.UTC(2026, 10, 1) + n * 37 + int(r, 0, 36);
  return new Date(ms).toISOString().replace('Z', '+0000');
};

const ruleBlock = (spec: RuleSpec, r: Random): Alert => {
  const rule: Alert = {};
  if (spec.level !== 0) rule['level'] = spec.level; // analysisd omits level 0
  rule['description'] = spec.description;
  rule['id'] = spec.id;
  if (r() < 0.3) rule['mitre'] = { id: ['T1110'], tactic: ['Credential Access'], technique: ['Brute Force'] };
  rule['firedtimes'] = int(r, 1, 5000);
  rule['mail'] = spec.level >= 12;
  rule['groups'] = [...spec.groups];
  Object.assign(rule, COMPLIANCE);
  return rule;
};

const agent = (r: Random): Alert =>
  r() < 0.15 ? { id: '000', name: 'wazuh-manager' } : { id: String(int(r, 1, 120)).padStart(3, '0'), name: `host-${int(r, 1, 120)}`, ip: privateIp(r) };

const body = (kind: string, spec: RuleSpec, r: Random): Alert => {
  switch (kind) {
    case 'sshd': {
      const ip = publicIp(r);
      const user = pick(r, ['root', 'admin', 'oracle', 'test', 'ubuntu']);
      return {
        full_log: `Nov 28 01:0${int(r, 0, 9)}:1${int(r, 0, 9)} host sshd[${int(r, 1000, 99999)}]: Failed password for invalid user ${user} from ${ip} port ${int(r, 1024, 65535)} ssh2`,
        predecoder: { program_name: 'sshd', timestamp: 'Nov 28 01:00:00', hostname: 'host' },
        decoder: { parent: 'sshd', name: 'sshd' },
        data: { srcip: ip, srcport: String(int(r, 1024, 65535)), srcuser: user },
        location: '/var/log/auth.log',
      };
    }
    case 'syscheck': {
      const path = `/etc/${pick(r, ['passwd', 'shadow', 'hosts', 'ssh/sshd_config', 'crontab'])}`;
      return {
        full_log: `File '${path}' modified\nMode: realtime\nChanged attributes: size,mtime,md5,sha1,sha256\nSize changed from '${int(r, 10, 999)}' to '${int(r, 10, 999)}'\nOld md5sum was: '${hex(r, 32)}'\nNew md5sum is : '${hex(r, 32)}'\nOld sha1sum was: '${hex(r, 40)}'\nNew sha1sum is : '${hex(r, 40)}'\n`,
        decoder: { name: 'syscheck_integrity_changed' },
        syscheck: {
          path,
          mode: 'realtime',
          size_after: String(int(r, 10, 999)),
          perm_after: 'rw-r--r--',
          md5_after: hex(r, 32),
          sha1_after: hex(r, 40),
          sha256_after: hex(r, 64),
          uname_after: 'root',
          inode_after: int(r, 1000, 9999999),
          event: spec.id === '554' ? 'added' : spec.id === '553' ? 'deleted' : 'modified',
        },
        location: 'syscheck',
      };
    }
    case 'web': {
      const ip = publicIp(r);
      const url = pick(r, ['/index.php?id=1%27%20OR%201=1--', '/search?q=<script>alert(1)</script>', '/wp-login.php', '/admin/../../etc/passwd']);
      return {
        full_log: `${ip} - - [28/Nov/2026:01:00:00 +0000] "GET ${url} HTTP/1.1" ${pick(r, [200, 400, 403, 404])} 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"`,
        decoder: { name: 'web-accesslog' },
        data: { protocol: 'GET', srcip: ip, id: String(pick(r, [200, 400, 403, 404])), url },
        location: '/var/log/nginx/access.log',
      };
    }
    case 'windows':
      return {
        decoder: { name: 'windows_eventchannel' },
        data: {
          win: {
            system: {
              providerName: 'Microsoft-Windows-Security-Auditing',
              eventID: spec.id === '60106' ? '4624' : '4625',
              level: '0',
              task: '12544',
              computer: `WIN-${hex(r, 6).toUpperCase()}.corp.local`,
              severityValue: 'AUDIT_FAILURE',
              message: '"An account failed to log on."',
            },
            eventdata: { targetUserName: pick(r, ['Administrator', 'svc_backup', 'jdoe']), ipAddress: publicIp(r), logonType: '3', workstationName: 'KALI' },
          },
        },
        location: 'EventChannel',
      };
    case 'long':
      return {
        full_log: Array.from({ length: 40 }, (_, i) => `    at com.example.service.Handler.method${i}(Handler.java:${int(r, 10, 999)}) ${hex(r, 16)}`).join('\n'),
        decoder: { name: '' },
        location: '/var/log/app/error.log',
      };
    default:
      return { full_log: `ossec: output: 'netstat listening ports': tcp 0.0.0.0:${int(r, 1, 65535)}`, decoder: { name: 'ossec' }, location: kind === 'rootcheck' ? 'rootcheck' : 'wazuh-monitord' };
  }
};

const KINDS: readonly (readonly [string, readonly RuleSpec[], number])[] = [
  ['sshd', SSHD, 0.34],
  ['syscheck', SYSCHECK, 0.16],
  ['web', WEB, 0.2],
  ['windows', WINDOWS, 0.17],
  ['rootcheck', OTHER.slice(0, 1), 0.04],
  ['long', OTHER.slice(2, 3), 0.02],
  ['other', OTHER, 0.07],
];

/** One realistic alert object, in analysisd's key order. */
export const generateAlert = (r: Random, n: number): Alert => {
  let x = r();
  let chosen = KINDS[0] as (typeof KINDS)[number];
  for (const k of KINDS) {
    if (x < k[2]) {
      chosen = k;
      break;
    }
    x -= k[2];
  }
  const [kind, specs] = chosen;
  const spec = pick(r, specs);
  const { location, ...rest } = body(kind, spec, r);
  return {
    timestamp: timestamp(r, n),
    rule: ruleBlock(spec, r),
    agent: agent(r),
    manager: { name: 'wazuh-manager' },
    id: `${1764291600 + Math.floor(n / 1000)}.${n}`,
    ...rest,
    location,
  };
};

/** `count` alert lines (no trailing newline in each), deterministic for a seed. */
export function* generateAlertLines(count: number, seed = 42): Generator<string> {
  const r = seededRandom(seed);
  for (let n = 0; n < count; n++) yield JSON.stringify(generateAlert(r, n));
}
