// Specs for src/integrations/virustotal-answer.ts (VirusTotal answers (API v2 file/report, API v3 files/{id}) read into one report, and their verdicts).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyVirusTotal, readV2Answer, readV3Answer } from '../../src/integrations/virustotal-answer.js';

const respond = (status: number, body: unknown = '', headers: Record<string, string> = {}) => ({
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const v2 = suite('readV2Answer');
v2('copies sha1, scan_date, positives, total, permalink in Wazuh\'s order, malicious when positives > 0', () => {
  const report = readV2Answer({ md5: 'm', permalink: 'p', total: 68, positives: 66, scan_date: 'd', sha1: 's', response_code: 1 });
  assert.equal(report, { found: 1, malicious: 1, details: { sha1: 's', scan_date: 'd', positives: 66, total: 68, permalink: 'p' } });
  assert.equal(Object.keys(report?.found ? report.details : {}), ['sha1', 'scan_date', 'positives', 'total', 'permalink']);
});
v2('reads response_code 0 and -2 as not found, and leaves out missing detail keys', () => {
  assert.equal(readV2Answer({ response_code: 0 }), { found: 0 });
  assert.equal(readV2Answer({ response_code: -2 }), { found: 0 });
  assert.equal(readV2Answer({ response_code: 1, positives: 0 }), { found: 1, malicious: 0, details: { positives: 0 } });
});
v2('is undefined without a numeric response_code', () => {
  assert.is(readV2Answer({}), undefined);
  assert.is(readV2Answer([1]), undefined);
  assert.is(readV2Answer({ response_code: '1' }), undefined);
});
v2.run();

const v3 = suite('readV3Answer');
v3('maps last_analysis_stats, sha1, date and GUI link to the v2 terms', () => {
  const report = readV3Answer({
    data: {
      id: 'abc',
      attributes: {
        sha1: 's',
        last_analysis_date: 1668705304,
        last_analysis_stats: { malicious: 3, suspicious: 1, undetected: 60, harmless: 4, timeout: 2, 'type-unsupported': 9 },
      },
    },
  });
  assert.equal(report, {
    found: 1,
    malicious: 1,
    details: { sha1: 's', scan_date: '2022-11-17 17:15:04', positives: 3, total: 68, permalink: 'https://www.virustotal.com/gui/file/abc/detection/f-abc-1668705304' },
  });
});
v3('is clean with no malicious engine, and tolerates missing stats and date', () => {
  assert.equal(readV3Answer({ data: { attributes: { sha256: 'h' } } }), {
    found: 1,
    malicious: 0,
    details: { positives: 0, total: 0, permalink: 'https://www.virustotal.com/gui/file/h' },
  });
});
v3('is undefined without data.attributes', () => {
  assert.is(readV3Answer({ data: {} }), undefined);
  assert.is(readV3Answer({ error: { code: 'NotFoundError' } }), undefined);
});
v3.run();

const classify = suite('classifyVirusTotal');
classify('delivers a readable 200 with its report', () => {
  const c = classifyVirusTotal('v2', respond(200, { response_code: 0 }));
  assert.equal(c, { verdict: { kind: 'delivered', detail: 'not found' }, report: { found: 0 } });
});
classify('drops a 200 that is not JSON or not a report, instead of crashing', () => {
  assert.equal(classifyVirusTotal('v2', respond(200, '<html>proxy</html>')).verdict.kind, 'drop');
  assert.equal(classifyVirusTotal('v3', respond(200, { data: 1 })).verdict.kind, 'drop');
});
classify('reads a v3 404 as not found, but a v2 404 as a failure', () => {
  assert.equal(classifyVirusTotal('v3', respond(404, { error: { code: 'NotFoundError' } })).report, { found: 0 });
  assert.equal(classifyVirusTotal('v2', respond(404)).verdict.kind, 'drop');
});
classify('pauses on 204 and 429: Retry-After, else 60 s', () => {
  assert.equal(classifyVirusTotal('v2', respond(204)).verdict, { kind: 'retry', reason: 'virustotal rate limit (204)', afterMs: 60_000, pause: true });
  assert.equal(classifyVirusTotal('v3', respond(429, '', { 'retry-after': '30' })).verdict, { kind: 'retry', reason: 'virustotal rate limit (429)', afterMs: 30_000, pause: true });
});
classify('drops 401 and 403 (credentials), retries 408 and 5xx, drops other statuses', () => {
  assert.is(classifyVirusTotal('v2', respond(403)).verdict.kind, 'drop');
  assert.is(classifyVirusTotal('v3', respond(401)).verdict.kind, 'drop');
  assert.is(classifyVirusTotal('v2', respond(408)).verdict.kind, 'retry');
  assert.equal(classifyVirusTotal('v2', respond(503, '', { 'retry-after': '2' })).verdict, { kind: 'retry', reason: 'virustotal answered 503', afterMs: 2_000 });
  assert.is(classifyVirusTotal('v2', respond(400)).verdict.kind, 'drop');
});
classify.run();
