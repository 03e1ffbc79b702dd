// Python 3.11's ipaddress rules (ip_address, is_private, is_loopback, is_reserved): which srcip Maltiverse looks up.

/** A parsed address: its version and its value as an unsigned integer (32 or 128 bits). */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** Python's _parse_octet: ASCII digits, 1–3 of them, no leading zero, ≤ 255. */
const parseOctet = (text: string): number | undefined =>
  /^(?:0|[1-9][0-9]{0,2})$/.test(text) && Number(text) <= 255 ? Number(text) : undefined;

/** Python's IPv4Address(str): exactly four decimal octets. */
const parseIpv4 = (text: string): bigint | undefined => {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    const n = parseOctet(octet);
    if (n === undefined) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
};

/** Python's IPv6Address(str) (3.11): optional `%scope`, one `::`, an IPv4 tail, 1–4 hex digits per hextet. */
const parseIpv6 = (input: string): bigint | undefined => {
  const percent = input.indexOf('%');
  if (percent >= 0) {
    const scope = input.slice(percent + 1);
    if (scope === '' || scope.includes('%')) return undefined;
  }
  const text = percent >= 0 ? input.slice(0, percent) : input;
  if (text === '') return undefined;
  const parts = text.split(':');
  if (parts.length < 3) return undefined;
  const last = parts[parts.length - 1] ?? '';
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    parts.pop();
    parts.push(((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
  }
  if (parts.length > 9) return undefined;
  let skip: number | undefined;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] !== '') continue;
    if (skip !== undefined) return undefined;
    skip = i;
  }
  let hi: number;
  let lo: number;
  if (skip !== undefined) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (parts[0] === '' && --hi !== 0) return undefined;
    if (parts[parts.length - 1] === '' && --lo !== 0) return undefined;
    if (8 - (hi + lo) < 1) return undefined;
  } else {
    if (parts.length !== 8 || parts[0] === '' || parts[parts.length - 1] === '') return undefined;
    hi = parts.length;
    lo = 0;
  }
  let value = 0n;
  const hextet = (part: string | undefined): boolean => {
    if (part === undefined || !/^[0-9a-fA-F]{1,4}$/.test(part)) return false;
    value = (value << 16n) | BigInt(parseInt(part, 16));
    return true;
  };
  for (let i = 0; i < hi; i++) if (!hextet(parts[i])) return undefined;
  value <<= 16n * BigInt(8 - hi - lo);
  for (let i = lo; i > 0; i--) if (!hextet(parts[parts.length - i])) return undefined;
  return value;
};

/** Python's `ipaddress.ip_address(text)` for a string: IPv4 first, then IPv6; undefined where Python raises ValueError. */
export const parseIp = (text: string): IpAddress | undefined => {
  if (text.includes('/')) return undefined;
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
};

type Network = readonly [base: bigint, prefix: number];

const v4 = (text: string): Network => {
  const [base = '', prefix = '32'] = text.split('/');
  return [parseIpv4(base) ?? 0n, Number(prefix)];
};
const v6 = (text: string): Network => {
  const [base = '', prefix = '128'] = text.split('/');
  return [parseIpv6(base) ?? 0n, Number(prefix)];
};

// Python 3.11.7's _IPv4Constants / _IPv6Constants (before the 3.12.4 / CVE-2024-4032 changes).
const V4_PRIVATE = ['0.0.0.0/8', '10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/29', '192.0.0.170/31', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4', '255.255.255.255/32'].map(v4);
const V4_LOOPBACK = v4('127.0.0.0/8');
const V4_RESERVED = v4('240.0.0.0/4');
const V6_PRIVATE = ['::1/128', '::/128', '::ffff:0:0/96', '100::/64', '2001::/23', '2001:2::/48', '2001:db8::/32', '2001:10::/28', 'fc00::/7', 'fe80::/10'].map(v6);
const V6_RESERVED = ['::/8', '100::/8', '200::/7', '400::/6', '800::/5', '1000::/4', '4000::/3', '6000::/3', '8000::/3', 'A000::/3', 'C000::/3', 'E000::/4', 'F000::/5', 'F800::/6', 'FE00::/9'].map(v6);

const inNetwork = (ip: IpAddress, [base, prefix]: Network): boolean => {
  const shift = BigInt((ip.version === 4 ? 32 : 128) - prefix);
  return ip.value >> shift === base >> shift;
};

/** An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as its IPv4 address. */
const ipv4Mapped = (ip: IpAddress): IpAddress | undefined =>
  ip.version === 6 && ip.value >> 32n === 0xffffn ? { version: 4, value: ip.value & 0xffffffffn } : undefined;

/** Python's `is_private` (3.11): IANA special-purpose ranges; an IPv4-mapped IPv6 address as its IPv4. */
export const isPrivate = (ip: IpAddress): boolean => {
  if (ip.version === 4) return V4_PRIVATE.some((n) => inNetwork(ip, n));
  const mapped = ipv4Mapped(ip);
  return mapped !== undefined ? isPrivate(mapped) : V6_PRIVATE.some((n) => inNetwork(ip, n));
};

/** Python's `is_loopback` (3.11): 127.0.0.0/8, or exactly ::1. */
export const isLoopback = (ip: IpAddress): boolean => (ip.version === 4 ? inNetwork(ip, V4_LOOPBACK) : ip.value === 1n);

/** Python's `is_reserved` (3.11): 240.0.0.0/4, or the IETF-reserved IPv6 blocks (which include ::ffff:0:0/96). */
export const isReserved = (ip: IpAddress): boolean => (ip.version === 4 ? inNetwork(ip, V4_RESERVED) : V6_RESERVED.some((n) => inNetwork(ip, n)));

/**
 * How Wazuh's Maltiverse script treats a `data.srcip` text: `invalid` (not an address: skipped with a
 * debug line), `non-public` (private, loopback or reserved: skipped), or `public` (looked up).
 * 100.64.0.0/10 (CGNAT) is public by these rules.
 */
export const classifySourceIp = (text: string): 'invalid' | 'non-public' | 'public' => {
  const ip = parseIp(text);
  if (ip === undefined) return 'invalid';
  return isPrivate(ip) || isLoopback(ip) || isReserved(ip) ? 'non-public' : 'public';
};

/** Python 3.11's `ip_address(text).is_global` (MISP's and OpenCTI's scripts): not private (loopback and reserved included) and, for IPv4, not 100.64.0.0/10. */
export const isGlobalIp = (text: string): boolean => {
  if (classifySourceIp(text) !== 'public') return false;
  const ip = parseIp(text);
  return !(ip?.version === 4 && ip.value >> 22n === 401n);
};

/** Python's `ip_address(text).exploded`, with an IPv4-mapped IPv6 address as its IPv4 (OpenCTI's DNS results); undefined when not an address. */
export const explodedIp = (text: string): string | undefined => {
  const ip = parseIp(text);
  if (ip === undefined) return undefined;
  const v4 = ip.version === 4 ? ip.value : ip.value >> 32n === 0xffffn ? ip.value & 0xffffffffn : undefined;
  if (v4 !== undefined) return [24n, 16n, 8n, 0n].map((s) => String((v4 >> s) & 0xffn)).join('.');
  return Array.from({ length: 8 }, (_, i) => ((ip.value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16).padStart(4, '0')).join(':');
};
