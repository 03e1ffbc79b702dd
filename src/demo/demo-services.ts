// Starts every stand-in service the demo needs on 127.0.0.1, and stops them.

import { startMaltiverseStandIn } from '../stand-ins/maltiverse.js';
import { startPagerDutyStandIn } from '../stand-ins/pagerduty.js';
import { startShuffleStandIn } from '../stand-ins/shuffle.js';
import { startSlackStandIn } from '../stand-ins/slack.js';
import type { StandIn } from '../stand-ins/stand-in-server.js';
import { startVirusTotalStandIn } from '../stand-ins/virustotal.js';
import { startWebhookStandIn } from '../stand-ins/webhook.js';
import type { DemoUrls } from './demo-config.js';

export type DemoServices = Readonly<Record<keyof DemoUrls, StandIn>>;

/** One stand-in per service, each on its own free loopback port. */
export const startDemoServices = async (): Promise<DemoServices> => {
  const [slack, pagerduty, shuffle, virustotal, maltiverse, webhook] = await Promise.all([
    startSlackStandIn(),
    startPagerDutyStandIn(),
    startShuffleStandIn(),
    startVirusTotalStandIn(),
    startMaltiverseStandIn(),
    startWebhookStandIn(),
  ]);
  return { slack, pagerduty, shuffle, virustotal, maltiverse, webhook };
};

export const demoUrls = (services: DemoServices): DemoUrls => ({
  slack: services.slack.url,
  pagerduty: services.pagerduty.url,
  shuffle: services.shuffle.url,
  virustotal: services.virustotal.url,
  maltiverse: services.maltiverse.url,
  webhook: services.webhook.url,
});

export const stopDemoServices = async (services: DemoServices): Promise<void> => {
  await Promise.all(Object.values(services).map((s) => s.close()));
};
