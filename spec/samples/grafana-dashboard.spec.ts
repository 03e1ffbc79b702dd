// Checks that the sample Grafana dashboard queries only metrics integratord exposes.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createMetrics } from '../../src/telemetry/metrics.js';

const dashboard = suite('samples/grafana-dashboard.json');
dashboard('queries only metrics integratord exposes', async () => {
  const text = readFileSync(new URL('../../samples/grafana-dashboard.json', import.meta.url), 'utf8');
  const used = new Set(text.match(/integratord_[a-z_]+/g) ?? []);
  assert.ok(used.size > 5);
  const metrics = createMetrics();
  const exposed = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
  for (const name of used) {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    assert.ok(exposed.includes(base), `${name} is not a metric of src/telemetry/metrics.ts`);
  }
});
dashboard.run();
