// Rewrites the sample ossec.conf so that every block points at a local stand-in service.

import { integrationFor } from '../integrations/registry.js';

/** Stand-in base URLs by service key (each integration's `demo.service`: `slack` …, `webhook` for custom-*). */
export type DemoUrls = Readonly<Record<string, string>>;

const urlFor = (name: string, urls: DemoUrls): string | undefined => {
  const demo = integrationFor(name)?.demo;
  const base = demo === undefined ? undefined : urls[demo.service];
  return demo === undefined || base === undefined ? undefined : demo.hookUrl(base, name);
};

/**
 * Sets (or adds) the <hook_url> of every <integration> block to its stand-in (the integration's
 * `demo.hookUrl`). PagerDuty and VirusTotal take hook_url as their API base, so they get one too.
 * Everything else of the sample stays as it is: the demo runs the configuration a user copies.
 */
export const demoConfig = (sample: string, urls: DemoUrls): string =>
  sample.replace(/<integration>([\s\S]*?)<\/integration>/g, (block: string, inner: string) => {
    const name = /<name>([^<]*)<\/name>/.exec(inner)?.[1] ?? '';
    const url = urlFor(name, urls);
    if (url === undefined) return block;
    const withUrl = /<hook_url>[^<]*<\/hook_url>/.test(inner)
      ? inner.replace(/<hook_url>[^<]*<\/hook_url>/, `<hook_url>${url}</hook_url>`)
      : inner.replace(/(<name>[^<]*<\/name>)/, `$1\n    <hook_url>${url}</hook_url>`);
    return `<integration>${withUrl}</integration>`;
  });
