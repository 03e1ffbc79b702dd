// Specs for src/integrations/public-ip.ts (Python 3.11's ipaddress rules (ip_address, is_private, is_loopback, is_reserved): which srcip Maltiverse looks up).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifySourceIp, explodedIp, isGlobalIp, isLoopback, isPrivate, isReserved, parseIp } from '../../src/integrations/public-ip.js';
import { runPython } from '../helpers/python.js';

/** Addresses across every special range, edge of range, and malformed forms. */
const ADDRESSES = [
  '8.8.8.8', '77.53.9.158', '100.64.0.1', '100.127.255.255', '100.63.255.255', '1.1.1.1', '223.255.255.255',
  '0.0.0.0', '0.255.255.255', '1.0.0.0', '10.0.0.1', '9.255.255.255', '11.0.0.0', '127.0.0.1', '127.255.255.255', '128.0.0.0',
  '169.254.1.1', '172.16.0.1', '172.31.255.255', '172.32.0.0', '172.15.255.255', '192.0.0.1', '192.0.0.7', '192.0.0.8', '192.0.0.9',
  '192.0.0.170', '192.0.0.171', '192.0.0.172', '192.0.2.1', '192.88.99.1', '192.168.1.1', '198.18.0.1', '198.19.255.255', '198.20.0.0',
  '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.255', '240.0.0.1', '255.255.255.254', '255.255.255.255',
  '::1', '::', '::2', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', '100::1', '100::1:0:0:1', '100:0:0:1::1',
  '2001::1', '2001:1::1', '2001:1ff::1', '2001:200::1', '2001:2::1', '2001:3::1', '2001:db8::1', '2001:10::1', '2001:20::1',
  '2001:4860:4860::8888', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2002::1', '3fff::1', '4000::1', '64:ff9b::8.8.8.8',
  '::ffff:8.8.8.8', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '::1.2.3.4', 'ff02::1', 'ff00::', 'e000::1', 'fe00::1', 'ffff::1',
  '1:2:3:4:5:6:7:8', '1::', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', 'ABCD:EF01::1', '2001:DB8::1',
  // malformed, each rejected by Python
  '', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.256', '1.2.3.-1', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4/32', '١.٢.٣.٤', '0x1.2.3.4',
  '1:2:3:4:5:6:7:8:9', '1::2::3', ':1::2', '1::2:', ':::', '::1%', '::1%a%b', '12345::1', 'g::1', '1:2:3:4:5:6:7', '::1.2.3', '::1.2.3.04',
  '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::ffff:1.2.3.4%1', 'localhost', 'example.com',
];

const python = suite('parseIp, isPrivate, isLoopback, isReserved');
python('agree with python3 ipaddress on every address of the list', () => {
  const script = [
    'import ipaddress, json, sys',
    'for line in sys.stdin.read().split("\\n"):',
    '    a = json.loads(line)',
    '    try:',
    '        ip = ipaddress.ip_address(a)',
    '        print(json.dumps([ip.version, str(int(ip)), ip.is_private, ip.is_loopback, ip.is_reserved]))',
    '    except ValueError:',
    '        print("null")',
  ].join('\n');
  const expected = runPython(script, ADDRESSES);
  ADDRESSES.forEach((address, i) => {
    const ip = parseIp(address);
    const actual = ip === undefined ? null : [ip.version, ip.value.toString(), isPrivate(ip), isLoopback(ip), isReserved(ip)];
    assert.equal(actual, JSON.parse(expected[i] ?? ''), JSON.stringify(address));
  });
});
python.run();

const classify = suite('classifySourceIp');
classify('looks up public addresses, including CGNAT 100.64.0.1 (not private in Python)', () => {
  assert.is(classifySourceIp('77.53.9.158'), 'public');
  assert.is(classifySourceIp('100.64.0.1'), 'public');
  assert.is(classifySourceIp('2001:4860:4860::8888'), 'public');
});
classify('skips private, loopback and reserved addresses (Wazuh test cases ::1, fc00::1, 100::1)', () => {
  for (const a of ['10.0.3.44', '192.168.1.1', '127.0.0.1', '169.254.1.1', '240.0.0.1', '::1', 'fc00::1', '100::1', '::ffff:8.8.8.8']) {
    assert.is(classifySourceIp(a), 'non-public', a);
  }
});
classify('reports text that is not an address as invalid', () => {
  assert.is(classifySourceIp('not-an-ip'), 'invalid');
  assert.is(classifySourceIp('010.0.0.1'), 'invalid');
});
classify.run();

const global = suite('public-ip is_global and exploded (MISP, OpenCTI)');
global('is_global: CGNAT and private ranges are not, public IPv4/IPv6 are', () => {
  assert.equal(['8.8.8.8', '100.63.255.255', '100.128.0.0', '2606:4700::1111'].map(isGlobalIp), [true, true, true, true]);
  assert.equal(['100.64.0.0', '100.127.255.255', '172.16.0.1', 'fd00::1', '::1', 'nope'].map(isGlobalIp), [false, false, false, false, false, false]);
});
global('exploded: IPv6 in full, IPv4-mapped as IPv4, IPv4 as is; undefined for text', () => {
  assert.is(explodedIp('2606:4700::1111'), '2606:4700:0000:0000:0000:0000:0000:1111');
  assert.is(explodedIp('::ffff:142.250.74.174'), '142.250.74.174');
  assert.is(explodedIp('8.8.4.4'), '8.8.4.4');
  assert.is(explodedIp('youtube-ui.l.google.com'), undefined);
});
global.run();
