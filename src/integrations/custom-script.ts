// custom-* blocks: run integrations/<name> with Wazuh's argv contract, or post to hook_url when there is no script.

import { join } from 'node:path';
import { field, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { statScript } from '../delivery/run-script.js';
import type { BlockIntegration, Integration, IntegrationEnv } from './definition.js';
import type { ExecStep } from '../delivery/step.js';
import { legacyAlertFile } from './legacy-alert-file.js';
import { webhookBlock } from './webhook.js';
import { startWebhookStandIn } from '../stand-ins/webhook.js';
import { demoText, shortText } from './demo-text.js';

/** argv[8] in non-debug mode: Wazuh appends this text and its split leaves it as one argument. */
export const NO_DEBUG_REDIRECT = '> /dev/null 2>&1';

/**
 * argv[1..] exactly as Wazuh passes them (§5.2), as a real array: alert file, api_key or "",
 * hook_url or "", `debug` or "", options file or "", timeout, retries, and in non-debug mode
 * the literal `> /dev/null 2>&1`. Values with spaces stay one argument (Wazuh would split them).
 */
export const scriptArgv = (config: IntegrationConfig, debug: number, alertFile: string, optionsFile: string): readonly string[] => {
  const argv = [
    alertFile,
    config.apiKey?.reveal() ?? '',
    config.hookUrl?.reveal() ?? '',
    debug >= 1 ? 'debug' : '',
    optionsFile,
    String(config.timeout),
    String(config.retries),
  ];
  if (debug < 1) argv.push(NO_DEBUG_REDIRECT);
  return argv;
};

/** The alert file's content: compact JSON and a newline when alert_format starts with `json`, else the 7-line legacy file. */
export const alertFileContent = (alert: Alert, config: IntegrationConfig): string =>
  config.jsonFormat ? `${JSON.stringify(alert)}\n` : legacyAlertFile(alert, config.maxLog);

/** One exec step per alert. The options file holds the <options> text verbatim and a newline, as Wazuh writes it. */
export const scriptStep = (file: string, config: IntegrationConfig, env: IntegrationEnv, alert: Alert): ExecStep => ({
  kind: 'exec',
  file,
  args: (alertFile, optionsFile) => scriptArgv(config, env.debug, alertFile, optionsFile),
  alertFileContent: alertFileContent(alert, config),
  optionsFileContent: config.optionsText === undefined ? undefined : `${config.optionsText}\n`,
  secrets: [config.apiKey?.reveal() ?? '', config.hookUrl?.reveal() ?? ''].filter((s) => s !== ''),
});

/**
 * Every `custom-` name. With an executable `integrations/<name>` (not group/world-writable) the
 * script runs per alert; without the file but with a hook_url, the block is a JSON webhook
 * (webhook.ts); with neither, Wazuh's "File not found inside 'integrations'" disables it.
 */
export const custom: Integration = {
  name: 'custom-',
  requires: { hookUrl: false, apiKey: false },
  jsonOnlyScript: false,
  templates: ['body_template'],
  // The demo has no scripts: every custom-* block posts to one webhook stand-in, at a path of its own.
  demo: {
    service: 'webhook',
    label: 'a webhook',
    start: () => startWebhookStandIn(),
    hookUrl: (base, blockName) => `${base}/${blockName}`,
    sentBy: (r, blockName) => r.url === `/${blockName}`,
    describe: (r) => `rule ${demoText(field(r.json, 'rule', 'id'))} "${shortText(demoText(field(r.json, 'rule', 'description')), 36)}"`,
  },
  create(config, env): BlockIntegration {
    const file = join(env.paths.integrations, config.name);
    const script = statScript(file);
    if (!script.exists) {
      if (config.hookUrl !== undefined) return webhookBlock(config);
      return { unavailable: "File not found inside 'integrations'.", plan: () => [] };
    }
    if (script.problem !== undefined) return { unavailable: script.problem, plan: () => [] };
    return { plan: (alert) => [scriptStep(file, config, env, alert)] };
  },
};
