// A block's <proxy>, <ca_file> and <headers> applied to every HTTP request its integration plans.

import { readFileSync } from 'node:fs';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { Step } from '../delivery/step.js';
import type { Transport } from '../delivery/transport.js';
import type { BlockIntegration } from '../integrations/definition.js';

/** The block's transport, or why it cannot be had (an unreadable or empty `<ca_file>`); undefined without settings. */
export const blockTransport = (config: IntegrationConfig): { readonly transport?: Transport } | { readonly problem: string } => {
  let ca: Transport['ca'];
  if (config.caFile !== undefined) {
    try {
      const pem = readFileSync(config.caFile, 'utf8');
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) return { problem: `<ca_file> ${config.caFile} holds no PEM certificate` };
      ca = { file: config.caFile, pem };
    } catch (error) {
      return { problem: `cannot read <ca_file> ${config.caFile} (${error instanceof Error && 'code' in error ? String(error.code) : 'unreadable'})` };
    }
  }
  const proxy = config.proxy?.reveal();
  if (ca === undefined && proxy === undefined) return {};
  return { transport: { ...(proxy === undefined ? {} : { proxy }), ...(ca === undefined ? {} : { ca }) } };
};

/**
 * The block with its transport on every HTTP step (follow-ups and give-up steps too) and
 * `<headers>` added to each request — a header the integration sets itself keeps the
 * integration's value. Header values are secrets of the step (REDACTED in dry-run and explain).
 */
export const withBlockTransport = (block: BlockIntegration, transport: Transport | undefined, headers: Readonly<Record<string, string>> | undefined): BlockIntegration => {
  if (transport === undefined && headers === undefined) return block;
  const extra = Object.entries(headers ?? {});
  const values = extra.map(([, v]) => v).filter((v) => v !== '');
  const apply = (steps: readonly Step[]): readonly Step[] =>
    steps.map((step): Step => {
      if (step.kind !== 'http') return step;
      const own = new Set(Object.keys(step.request.headers).map((n) => n.toLowerCase()));
      const added = Object.fromEntries(extra.filter(([n]) => !own.has(n.toLowerCase())));
      const after = step.after;
      const onGiveUp = step.onGiveUp;
      return {
        ...step,
        request: { ...step.request, headers: { ...step.request.headers, ...added }, ...(transport === undefined ? {} : { transport }) },
        secrets: [...step.secrets, ...values],
        ...(after === undefined ? {} : { after: (response) => apply(after.call(step, response)) }),
        ...(onGiveUp === undefined ? {} : { onGiveUp: (last) => apply(onGiveUp.call(step, last)) }),
      };
    });
  return { ...block, plan: (alert) => apply(block.plan(alert)) };
};
