// The HTTP step Wazuh's webhook scripts send: a JSON POST with their two headers.

import { classifyHttp } from '../delivery/classify-http.js';
import type { HttpRequest, HttpResponse, HttpStep, Verdict } from '../delivery/step.js';
import { compileTemplate, type MarkupEscape } from './message-template.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { Alert } from '../alerts/alert.js';

/** The headers slack.py, pagerduty.py and shuffle.py send (requests adds its own; these are the script's). */
export const WAZUH_SCRIPT_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json', 'Accept-Charset': 'UTF-8' };

/** A POST of `payload` as JSON; `secrets` are shown as **REDACTED** by dry-run and explain. */
export const jsonPost = (
  url: string,
  payload: unknown,
  secrets: readonly string[],
  classify: (response: HttpResponse) => Verdict = classifyHttp,
  headers: Readonly<Record<string, string>> = WAZUH_SCRIPT_HEADERS,
): HttpStep => {
  const request: HttpRequest = { method: 'POST', url, headers, body: JSON.stringify(payload) };
  STRINGIFIED_BODIES.add(request);
  return { kind: 'http', request, secrets: secrets.filter((s) => s !== ''), classify };
};

/** Requests whose body JSON.stringify wrote (so parsing it and writing it again gives the same text). */
const STRINGIFIED_BODIES = new WeakSet<object>();

/** True when `request.body` is JSON.stringify's text of a value (jsonPost's, unchanged since): dry-run prints it as it is. */
export const hasStringifiedBody = (request: object): boolean => STRINGIFIED_BODIES.has(request);

/**
 * Why a hook URL cannot be used for an HTTP delivery, or undefined when it can: not a URL; not
 * http/https (`file:`, `unix:`, `ftp:` …); user info (`https://user:pass@host`), which the HTTP
 * client would drop silently, so the service would answer 401 to every alert. The one check every
 * HTTP integration makes at startup (run and check alike). Never quotes the URL: it usually holds a token.
 */
export const hookUrlProblem = (url: string): string | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'hook_url is not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `hook_url must be http or https, not ${parsed.protocol}`;
  if (parsed.username !== '' || parsed.password !== '') {
    return "hook_url carries credentials before its host (NAME:PASSWORD@), which integratord does not send: put the credentials in <api_key> or use the integration's own authentication";
  }
  return undefined;
};

/**
 * The startup of a block that posts messages: its hook_url (checked by hookUrlProblem) and its
 * `<template>` compiled with the destination's `markup` escape for `{{x}}` (the identity by default),
 * or why the block cannot run (the integration returns it as `unavailable`).
 */
export const messageHook = (
  config: IntegrationConfig,
  markup?: MarkupEscape,
): { readonly url: string; readonly render: (alert: Alert) => string | undefined } | { readonly unavailable: string } => {
  const url = config.hookUrl?.reveal() ?? '';
  const problem = hookUrlProblem(url);
  if (problem !== undefined) return { unavailable: problem };
  const template = compileTemplate(config, 'template', markup);
  return 'problem' in template ? { unavailable: template.problem } : { url, render: template.render };
};
