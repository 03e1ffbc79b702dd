// Specs for src/integrations/enrichment-lookups.ts (What every enrichment block shares: its integration's cache (hits and misses counted per block) and its api_key's quota (one bucket for every block using the key)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { enrichmentLookups } from '../../src/integrations/enrichment-lookups.js';
import { parseEnrichmentOptions, type EnrichmentOptions } from '../../src/integrations/enrichment-options.js';
import { apiKeyId, createLocalEnrichmentStores } from '../../src/integrations/enrichment-stores.js';
import { abuseipdb } from '../../src/integrations/abuseipdb.js';
import { virustotal } from '../../src/integrations/virustotal.js';
import type { HttpStep } from '../../src/delivery/step.js';
import { REPORTED_IP } from '../../src/stand-ins/abuseipdb.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';

const KEY = 'shared-key-0123456789abcdef0123456789';
const options = (raw: Record<string, unknown> = {}): EnrichmentOptions => {
  const parsed = parseEnrichmentOptions(raw, Object.keys(raw));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.options;
};

const lookups = suite('enrichmentLookups');
lookups('shares one cache between the blocks of an integration, counting hits per block', () => {
  const enrichment = createLocalEnrichmentStores();
  const metrics = createMetrics();
  const env = integrationEnv('/var/ossec', { enrichment, metrics });
  const a = enrichmentLookups<string>(blockConfig({ name: 'abuseipdb', index: 0 }), env, 'abuseipdb', KEY, options());
  const b = enrichmentLookups<string>(blockConfig({ name: 'abuseipdb', index: 1 }), env, 'abuseipdb', KEY, options());
  assert.is(a.cached('198.51.100.7'), undefined);
  a.remember('198.51.100.7', 'report', false);
  assert.equal(b.cached('198.51.100.7'), { value: 'report' });
  assert.ok(b.peek('198.51.100.7'));
  assert.equal([a.cache.stats, b.cache.stats], [{ hits: 0, misses: 1, size: 1 }, { hits: 1, misses: 0, size: 1 }]);
  assert.is(a.keyId, apiKeyId(KEY));
});
lookups('spends one api_key quota for every block using the key, and says so in the quota gauge', async () => {
  const enrichment = createLocalEnrichmentStores();
  const metrics = createMetrics();
  const env = integrationEnv('/var/ossec', { enrichment, metrics });
  const a = enrichmentLookups<string>(blockConfig({ name: 'abuseipdb', index: 0 }), env, 'abuseipdb', KEY, options({ rate_per_minute: 4 }));
  const b = enrichmentLookups<string>(blockConfig({ name: 'abuseipdb', index: 1 }), env, 'abuseipdb', KEY, options());
  assert.is(a.reserve(), 0);
  assert.ok((b.reserve() as number) > 14_000, 'the second block waits for the key\'s next token');
  b.quota({ limit: 1000, remaining: 0, resetAt: Date.now() + 60_000 });
  assert.ok((a.reserve() as number) > 50_000, 'the first block waits for the reset the second one heard of');
  const samples = parseMetrics(await metrics.registry.metrics());
  assert.is(sumOf(samples, 'integratord_enrichment_quota_left', { block: '1' }), 0);
  assert.is(sumOf(samples, 'integratord_enrichment_waiting', { block: '0' }), 1, 'the lookup held for the reset is counted as waiting');
  assert.ok(samples.some((s) => s.name === 'integratord_enrichment_quota_left' && s.labels['block'] === '1'));
});
lookups.run();

const blocks = suite('enrichment blocks on the daemon\'s stores');
blocks('two abuseipdb blocks with one key share its quota; a virustotal block of another key does not wait', () => {
  const enrichment = createLocalEnrichmentStores();
  const env = integrationEnv('/var/ossec', { enrichment });
  const first = abuseipdb.create(blockConfig({ name: 'abuseipdb', apiKey: KEY, index: 0, options: { rate_per_minute: 4 } }), env);
  const second = abuseipdb.create(blockConfig({ name: 'abuseipdb', apiKey: KEY, index: 1 }), env);
  const other = virustotal.create(blockConfig({ name: 'virustotal', apiKey: 'another-key', index: 2 }), env);
  assert.is(first.requestQuota?.(), 0);
  assert.ok((second.requestQuota?.() as number) > 14_000);
  assert.is(other.requestQuota?.(), 0);
  const alert = { id: '1', rule: { id: '5710' }, data: { srcip: REPORTED_IP } };
  const [step] = first.plan(alert) as HttpStep[];
  const answer = { status: 200, headers: {}, body: JSON.stringify({ data: { ipAddress: REPORTED_IP, abuseConfidenceScore: 100, totalReports: 7 } }) };
  assert.is(step?.classify(answer).kind, 'delivered');
  step?.after?.(answer);
  assert.equal(second.plan(alert).map((s) => s.kind), ['queue'], 'the second block is answered by the first one\'s lookup');
});
blocks.run();
