// Rewrites the sample ossec.conf so that every block points at a local stand-in service.

/** Stand-in base URLs by integration name (`webhook` for custom-* webhooks). */
export type DemoUrls = Readonly<Record<'slack' | 'pagerduty' | 'shuffle' | 'virustotal' | 'maltiverse' | 'webhook', string>>;

const urlFor = (name: string, urls: DemoUrls): string | undefined => {
  switch (name) {
    case 'slack':
      return `${urls.slack}/services/T00000000/B00000000/DEMO`;
    case 'pagerduty':
      return `${urls.pagerduty}/v2/enqueue`;
    case 'shuffle':
      return `${urls.shuffle}/api/v1/hooks/webhook_demo`;
    case 'virustotal':
      return urls.virustotal;
    case 'maltiverse':
      return urls.maltiverse;
    default:
      return name.startsWith('custom-') ? `${urls.webhook}/${name}` : undefined;
  }
};

/**
 * Sets (or adds) the <hook_url> of every <integration> block to its stand-in. PagerDuty and
 * VirusTotal take hook_url as their API base, so they get one too. Everything else of the sample
 * stays as it is: the demo runs the configuration a user copies.
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
