// Preloaded into the integratord process by the end-to-end benchmark (node --import): stamps each HTTP request.
// Adds `x-bench-sent-at: <wall-clock µs>` when undici creates the request, so the receiver can compute
// arrival − send; and records the round trip (create → response headers) in this process, written as
// JSON {"roundTripsMs":[...]} to $BENCH_ROUNDTRIP_FILE at exit. Observes only; changes no behaviour
// other than the one extra header.

import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const startedAt = new WeakMap();
const roundTrips = [];
const wallMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

subscribe('undici:request:create', ({ request }) => {
  startedAt.set(request, performance.now());
  request.addHeader('x-bench-sent-at', String(wallMicros()));
});

subscribe('undici:request:headers', ({ request }) => {
  const started = startedAt.get(request);
  if (started !== undefined) roundTrips.push(performance.now() - started);
});

process.on('exit', () => {
  if (process.env.BENCH_ROUNDTRIP_FILE) writeFileSync(process.env.BENCH_ROUNDTRIP_FILE, JSON.stringify({ roundTripsMs: roundTrips }));
});
