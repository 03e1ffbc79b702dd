// Preloaded into the integratord process by the slow-service benchmark (node --import): logs its V8 heap sizes.
// Every 500 ms appends {"t":<s since start>,"heapTotal":…,"heapUsed":…,"external":…} (bytes) as a JSON line to
// $BENCH_MEMORY_FILE. Observes only; its timer does not keep the process alive.

import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  const started = performance.now();
  setInterval(() => {
    const { heapTotal, heapUsed, external } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ t: (performance.now() - started) / 1000, heapTotal, heapUsed, external })}\n`);
  }, 500).unref();
}
