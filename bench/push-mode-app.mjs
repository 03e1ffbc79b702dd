// The push-mode benchmark's app (plain node, no tsx): the BUILT library, alerts from a file handed to send() by K callers.
// Run by bench/push-mode.ts: node [--trace-gc] bench/push-mode-app.mjs CONFIG_JSON   (an IPC child: it reports
// {type:'ready',rss} once the integrator exists, then {type:'done',…} with its counts and heap samples).
// Each caller takes the next line of the corpus file, JSON.parses it, awaits send()'s outcomes, then takes the next:
// the shape of a service answering its requests. Lines are read in 64 KiB chunks only as callers take them.

import { closeSync, openSync, readSync } from 'node:fs';
import { createIntegrator, defaultHighWaterMark } from '../dist/index.js';

const { file, url, downUrl, count, concurrency, callers, state, home, sampleMs, highWaterMark } = JSON.parse(process.argv[2] ?? '{}');

const CHUNK = 64 * 1024;
const fd = openSync(file, 'r');
const buffer = Buffer.allocUnsafe(CHUNK);
let lines = [];
let carry = '';
let taken = 0;
/** The next line of the file (undefined at its end or after `count` lines); synchronous, so callers never race. */
const nextLine = () => {
  while (lines.length === 0) {
    const n = readSync(fd, buffer, 0, CHUNK, null);
    if (n === 0) return undefined;
    const parts = (carry + buffer.toString('utf8', 0, n)).split('\n');
    carry = parts.pop() ?? '';
    lines = parts.filter((line) => line !== '').reverse();
  }
  return taken++ < count ? lines.pop() : undefined;
};

const integrator = await createIntegrator({
  // With `downUrl`: a second block whose service is down (nothing listens): it must slow only itself.
  config: `<ossec_config><integration><name>custom-bench</name><hook_url>${url}</hook_url><alert_format>json</alert_format></integration>${
    downUrl ? `<integration><name>custom-down</name><hook_url>${downUrl}</hook_url><alert_format>json</alert_format></integration>` : ''
  }</ossec_config>`,
  state,
  home,
  concurrency,
  ...(highWaterMark === undefined ? {} : { highWaterMark }),
});
process.send({ type: 'ready', rss: process.memoryUsage().rss });

const heapUsed = [];
const heapTotal = [];
const external = [];
let peakHeld = 0;
const sampler = setInterval(() => {
  const memory = process.memoryUsage();
  heapUsed.push(memory.heapUsed);
  heapTotal.push(memory.heapTotal);
  external.push(memory.external);
  peakHeld = Math.max(peakHeld, integrator.held);
}, sampleMs);
let delivered = 0;
let other = 0;
const started = performance.now();
/**
 * The next alert, parsed here so that no caller holds its line while it awaits: a line is a slice of its
 * 64 KiB chunk, and would keep that chunk alive (a service's request body is its own, not a chunk's).
 */
const nextAlert = () => {
  const line = nextLine();
  return line === undefined ? undefined : JSON.parse(line);
};
const caller = async () => {
  for (let alert = nextAlert(); alert !== undefined; alert = nextAlert()) {
    const outcomes = await integrator.send(alert);
    for (const outcome of outcomes) {
      if (outcome.block !== 0) continue; // the down block's dead letters are in stop()'s counts
      if (outcome.kind === 'delivered') delivered++;
      else other++;
    }
  }
};
await Promise.all(Array.from({ length: callers }, caller));
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
closeSync(fd);
const counts = await integrator.stop({ graceMs: 0 });
process.send({ type: 'done', delivered, other, seconds, peakHeld, counts, heapUsed, heapTotal, external, highWaterMark: highWaterMark ?? defaultHighWaterMark(concurrency) }, () => process.disconnect());
