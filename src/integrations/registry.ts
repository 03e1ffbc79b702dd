// The list of integrations: the only place one is added (a name, or a prefix ending in `-`).

import { abuseipdb } from './abuseipdb.js';
import { custom } from './custom-script.js';
import type { Integration } from './definition.js';
import { discord } from './discord.js';
import { email } from './email.js';
import { jira } from './jira.js';
import { maltiverse } from './maltiverse.js';
import { misp } from './misp.js';
import { opencti } from './opencti.js';
import { pagerduty } from './pagerduty.js';
import { shuffle } from './shuffle.js';
import { slack } from './slack.js';
import { teams } from './teams.js';
import { telegram } from './telegram.js';
import { thehive } from './thehive.js';
import { virustotal } from './virustotal.js';

export const INTEGRATIONS: readonly Integration[] = [
  slack,
  pagerduty,
  shuffle,
  virustotal,
  maltiverse,
  abuseipdb,
  misp,
  opencti,
  teams,
  telegram,
  discord,
  email,
  thehive,
  jira,
  custom,
];

/** The integration of a block name: an exact name, or a prefix entry (`custom-`); undefined when unsupported. */
export const integrationFor = (name: string): Integration | undefined =>
  INTEGRATIONS.find((i) => (i.name.endsWith('-') ? name.startsWith(i.name) : i.name === name));
