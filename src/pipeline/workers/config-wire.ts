// A block's config across a thread boundary: Secret and Sregex values (classes) as plain tagged values, and back.

import type { IntegrationConfig } from '../../config/integration-config.js';
import { Secret } from '../../config/secret.js';
import { compileSregex } from '../../match/sregex.js';

/** A structured-clonable IntegrationConfig: secrets travel in clear (only to our own worker threads, never to a log). */
export type WireConfig = Record<string, unknown> & { readonly id: string };

const SECRET_FIELDS = ['hookUrl', 'apiKey', 'proxy'] as const;

/** The config as plain data: `{ $secret }` for each Secret, `{ $sregex }` for the event_location pattern. */
export const toWire = (config: IntegrationConfig): WireConfig => {
  const wire: Record<string, unknown> = { ...config };
  for (const field of SECRET_FIELDS) {
    const secret = config[field];
    if (secret !== undefined) wire[field] = { $secret: secret.reveal() };
  }
  if (config.eventLocation !== undefined) wire['eventLocation'] = { $sregex: config.eventLocation.pattern };
  return wire as WireConfig;
};

/** The config `toWire` made, with its Secret and Sregex values rebuilt. */
export const fromWire = (wire: WireConfig): IntegrationConfig => {
  const config: Record<string, unknown> = { ...wire };
  for (const field of SECRET_FIELDS) {
    const value = wire[field] as { $secret: string } | undefined;
    if (value !== undefined) config[field] = new Secret(value.$secret);
  }
  const location = wire['eventLocation'] as { $sregex: string } | undefined;
  if (location !== undefined) config['eventLocation'] = compileSregex(location.$sregex);
  return config as unknown as IntegrationConfig;
};
