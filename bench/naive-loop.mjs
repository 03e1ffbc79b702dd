// The naive loop as a process of its own (plain node, no tsx): split lines, JSON.parse every one, test rule.level.
// Run: node bench/naive-loop.mjs FILE LEVEL   → prints {"lines":…,"matched":…,"maxLevel":…} on stdout.
// The same loop as naive() in filter-core.ts (4 MiB reads, UTF-8 decode, split on "\n"), here with Wazuh's
// level test (a missing rule.level is 0), so the peer table can time it from spawn to exit like the others.

import { closeSync, openSync, readSync } from 'node:fs';

const [file, levelText] = process.argv.slice(2);
const level = Number(levelText);
if (!file || !Number.isInteger(level)) {
  process.stderr.write('usage: node bench/naive-loop.mjs FILE LEVEL\n');
  process.exit(2);
}

const CHUNK = 4 * 1024 * 1024;
let lines = 0;
let matched = 0;
let maxLevel = 0;
const fd = openSync(file, 'r');
const buffer = Buffer.allocUnsafe(CHUNK);
let carry = '';
for (;;) {
  const n = readSync(fd, buffer, 0, CHUNK, null);
  if (n === 0) break;
  const text = carry + buffer.toString('utf8', 0, n);
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    const alert = JSON.parse(text.slice(start, nl));
    const alertLevel = alert?.rule?.level ?? 0;
    lines++;
    if (alertLevel > maxLevel) maxLevel = alertLevel;
    if (alertLevel >= level) matched++;
    start = nl + 1;
  }
  carry = text.slice(start);
}
closeSync(fd);
process.stdout.write(`${JSON.stringify({ lines, matched, maxLevel })}\n`);
