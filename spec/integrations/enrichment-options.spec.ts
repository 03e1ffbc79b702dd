// Specs for src/integrations/enrichment-options.ts (The <options> of the enrichment integrations (VirusTotal, Maltiverse, AbuseIPDB): API version, cache, rate limit).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEnrichmentOptions } from '../../src/integrations/enrichment-options.js';

const KEYS = ['api_version', 'cache_ttl_seconds', 'negative_cache_ttl_seconds', 'cache_size', 'rate_per_minute'];
const options = suite('parseEnrichmentOptions');
options('gives the defaults without options: v2, 1 h cache of 10000 entries, no rate limit', () => {
  assert.equal(parseEnrichmentOptions(undefined, KEYS), {
    ok: true,
    options: { apiVersion: 'v2', cacheTtlSeconds: 3600, cacheSize: 10000, negativeCacheTtlSeconds: 600, ratePerMinute: undefined },
    warnings: [],
  });
});
options('reads every known key', () => {
  const parsed = parseEnrichmentOptions({ api_version: 'v3', cache_ttl_seconds: 0, negative_cache_ttl_seconds: 30, cache_size: 5, rate_per_minute: 4 }, KEYS);
  assert.equal(parsed, { ok: true, options: { apiVersion: 'v3', cacheTtlSeconds: 0, cacheSize: 5, negativeCacheTtlSeconds: 30, ratePerMinute: 4 }, warnings: [] });
});
options('warns about keys the integration does not use, without failing', () => {
  const parsed = parseEnrichmentOptions({ api_version: 'v3', colour: 'red' }, ['cache_size']);
  assert.is(parsed.ok, true);
  assert.equal(parsed.ok ? parsed.warnings.length : -1, 2);
  assert.is(parsed.ok ? parsed.options.apiVersion : '', 'v2');
});
options('refuses bad values of known keys with a message naming the key', () => {
  const bad: [unknown, RegExp][] = [
    [{ api_version: 'v4' }, /api_version/],
    [{ cache_ttl_seconds: -1 }, /cache_ttl_seconds/],
    [{ cache_size: 1.5 }, /cache_size/],
    [{ negative_cache_ttl_seconds: -5 }, /negative_cache_ttl_seconds/],
    [{ rate_per_minute: 0 }, /rate_per_minute/],
    [{ rate_per_minute: '4' }, /rate_per_minute/],
    [[1], /JSON object/],
  ];
  for (const [raw, message] of bad) {
    const parsed = parseEnrichmentOptions(raw, KEYS);
    assert.is(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.error, message);
  }
});
options.run();
