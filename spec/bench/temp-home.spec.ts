// Specs for bench/temp-home.ts (a throw-away Wazuh home with custom-* webhook blocks for the benchmarks).

import { readFileSync, statSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tempHome } from '../../bench/temp-home.js';
import { loadConfigFile } from '../../src/config/load.js';

const home = suite('tempHome');

home('by default: one custom-bench webhook block without a filter, and an empty alerts.json', async () => {
  const h = tempHome('spec-temp-home-default', 'http://127.0.0.1:9/ingest');
  const config = await loadConfigFile(h.config);
  assert.ok(config.ok, JSON.stringify(config.diagnostics));
  assert.equal(
    config.integrations.map((c) => [c.name, c.level]),
    [['custom-bench', 0]],
  );
  assert.match(readFileSync(h.config, 'utf8'), '<hook_url>http://127.0.0.1:9/ingest</hook_url>');
  assert.is(statSync(h.alerts).size, 0);
});

home('with blocks and a level: that many blocks, each with the level, no two posting to the same URL', async () => {
  const h = tempHome('spec-temp-home-blocks', 'http://127.0.0.1:9/ingest', { blocks: 6, level: 16 });
  const config = await loadConfigFile(h.config);
  assert.ok(config.ok, JSON.stringify(config.diagnostics));
  assert.is(config.integrations.length, 6);
  assert.ok(config.integrations.every((c) => c.name === 'custom-bench' && c.level === 16));
  const urls = [...readFileSync(h.config, 'utf8').matchAll(/<hook_url>([^<]*)<\/hook_url>/g)].map((m) => m[1]);
  assert.equal(urls, ['http://127.0.0.1:9/ingest', ...[1, 2, 3, 4, 5].map((i) => `http://127.0.0.1:9/ingest/${i}`)]);
});

home.run();
