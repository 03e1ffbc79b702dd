// A comparable digest of a block's settings, to tell on reload which blocks really changed.

import { createHash } from 'node:crypto';
import type { IntegrationConfig, TemplateSource } from '../config/integration-config.js';

/** A template as it behaves: its inline text, or the path of its <template_file> (read when the block starts); not where it is written. */
const templateKey = (t: TemplateSource | undefined): string | null => (t === undefined ? null : t.text !== undefined ? `text:${t.text}` : `file:${t.file}`);

/**
 * sha256 over every setting that changes behaviour, secrets included (revealed only into the hash,
 * never stored), position in the file excluded. Two blocks with the same fingerprint behave the same.
 */
export const blockFingerprint = (c: IntegrationConfig): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        c.index,
        c.name,
        c.hookUrl?.reveal() ?? null,
        c.apiKey?.reveal() ?? null,
        c.alertFormat ?? null,
        c.level,
        c.ruleIds ?? null,
        c.group ?? null,
        c.eventLocation?.pattern ?? null,
        c.maxLog,
        c.timeout,
        c.retries,
        c.optionsText ?? null,
        // integratord's own tags: a reload that changes a template, the proxy, the CA, headers or noise control restarts the block too.
        templateKey(c.template),
        templateKey(c.subjectTemplate),
        templateKey(c.bodyTemplate),
        c.proxy?.reveal() ?? null,
        c.caFile ?? null,
        c.headers ?? null,
        c.noise ?? null,
      ]),
    )
    .digest('hex');
