// A comparable digest of a block's settings, to tell on reload which blocks really changed.

import { createHash } from 'node:crypto';
import type { IntegrationConfig } from '../config/integration-config.js';

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
      ]),
    )
    .digest('hex');
