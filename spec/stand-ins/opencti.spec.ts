// Specs for src/stand-ins/opencti.ts (a loopback OpenCTI GraphQL endpoint).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { OPENCTI_QUERY } from '../../src/integrations/opencti-query.js';
import { C2_INDICATOR, OPENCTI_C2_IP, OPENCTI_EICAR_SHA256, startOpenCtiStandIn } from '../../src/stand-ins/opencti.js';

const post = async (base: string, variables: unknown, auth?: string, query = OPENCTI_QUERY) => {
  const res = await request(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth === undefined ? {} : { authorization: auth }) }, body: JSON.stringify({ query, variables }) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: (text.startsWith('{') ? JSON.parse(text) : undefined) as Record<string, any> };
};
const vars = (key: string, values: string[], patterns: string[]) => ({ obs: { mode: 'or', filterGroups: [], filters: [{ key, values }] }, ind: { mode: 'and', filterGroups: [], filters: [{ key: 'pattern_type', values: ['stix'] }, { mode: 'or', key: 'pattern', values: patterns }] } });

const stand = suite('startOpenCtiStandIn');
stand('indicators by exact pattern, observables by value or hashes.SHA256, with pageInfo', async () => {
  const service = await startOpenCtiStandIn();
  try {
    const ip = await post(service.url, vars('value', [OPENCTI_C2_IP], [C2_INDICATOR['pattern'] as string]));
    assert.equal(ip.json['data']['indicators']['edges'].map((e: any) => e.node.id), [C2_INDICATOR['id']]);
    assert.is(ip.json['data']['stixCyberObservables']['pageInfo']['globalCount'], 0);
    const file = await post(service.url, vars('hashes.SHA256', [OPENCTI_EICAR_SHA256], []));
    assert.equal(file.json['data']['stixCyberObservables']['edges'].map((e: any) => e.node.name), ['eicar.com']);
    assert.equal((await post(service.url, vars('value', ['9.9.9.9'], []))).json['data']['indicators']['edges'], []);
  } finally {
    await service.close();
  }
});
stand('a wrong token: GraphQL AUTH_REQUIRED with HTTP 200; no Bearer: 401; a broken query: a GraphQL error; 429 past the limit', async () => {
  const service = await startOpenCtiStandIn({ token: 't', rateLimit: { limit: 1, windowMs: 30_000 } });
  try {
    const wrong = await post(service.url, {}, 'Bearer x');
    assert.equal([wrong.status, wrong.json['errors'][0]['extensions']['code'], wrong.json['data']], [200, 'AUTH_REQUIRED', null]);
    assert.is((await post(service.url, {}, 't')).status, 401);
    assert.equal((await post(service.url, {}, 'Bearer t', '{')).json['errors'][0]['extensions']['code'], 'GRAPHQL_PARSE_FAILED');
    const limited = await post(service.url, {}, 'Bearer t');
    assert.equal([limited.status, Number(limited.headers['retry-after']) > 0], [429, true]);
  } finally {
    await service.close();
  }
});
stand.run();
