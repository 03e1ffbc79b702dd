// Starts every stand-in service the demo needs on 127.0.0.1 (one per integration's demo.service), and stops them.

import type { IntegrationDemo } from '../integrations/definition.js';
import { INTEGRATIONS } from '../integrations/registry.js';
import type { StandIn } from '../stand-ins/stand-in-server.js';
import type { DemoUrls } from './demo-config.js';

/** Running stand-ins by service key (`slack` …, `webhook`). */
export type DemoServices = Readonly<Record<string, StandIn>>;

/** The demos of the registered integrations, in registry order, one per service key. */
export const integrationDemos = (): IntegrationDemo[] => {
  const demos = new Map<string, IntegrationDemo>();
  for (const i of INTEGRATIONS) if (i.demo !== undefined && !demos.has(i.demo.service)) demos.set(i.demo.service, i.demo);
  return [...demos.values()];
};

/** One stand-in per service, each on its own free loopback port. */
export const startDemoServices = async (): Promise<DemoServices> => {
  const demos = integrationDemos();
  const started = await Promise.all(demos.map((d) => d.start()));
  return Object.fromEntries(demos.map((d, i) => [d.service, started[i] as StandIn]));
};

export const demoUrls = (services: DemoServices): DemoUrls => Object.fromEntries(Object.entries(services).map(([service, s]) => [service, s.url]));

export const stopDemoServices = async (services: DemoServices): Promise<void> => {
  await Promise.all(Object.values(services).map((s) => s.close()));
};
