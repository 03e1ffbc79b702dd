// The README's Security section: the threat model's boundaries, the flags it names exist, the pointer to systemd.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from '../src/cli/run.js';

/** The README's `## Security` section, up to the next section. */
const securitySection = (): string => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const start = readme.indexOf('\n## Security\n');
  assert.ok(start >= 0, 'README has a Security section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
};

const security = suite('README Security section');
security('names each boundary of the threat model with what integratord guarantees', () => {
  const text = securitySection();
  for (const boundary of ['alert content', 'the state directory', 'custom scripts', 'secrets', '`--http`']) {
    assert.ok(new RegExp(`^\\| ${boundary.replace(/[`-]/g, '\\$&')}`, 'm').test(text), `a row for ${boundary}`);
  }
  for (const defence of ['visible escapes', '%2E%2E', 'O_NOFOLLOW', '0700', 'set-uid', 'percent-decoded', 'user:pass@', '401', 'allowScripts']) {
    assert.match(text, defence);
  }
});
security('names only run options that exist, and points to the systemd section', () => {
  const text = securitySection();
  for (const flag of new Set(text.match(/--[a-z][a-z-]+/g) ?? [])) {
    if (['--dry-run', '--show-secrets', '--max-line-bytes', '--state', '--enrichment-out', '--http', '--http-allow-remote', '--http-token-file', '--log-format'].includes(flag)) {
      assert.match(run.help, flag, `run --help knows ${flag}`);
    } else {
      assert.unreachable(`the Security section names ${flag}, which run does not have`);
    }
  }
  assert.match(text, '[Running under systemd](#running-under-systemd)');
});
security.run();
