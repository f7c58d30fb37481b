import { RampartError } from '../../../shared/errors';

/**
 * Where a Datadog connection's API calls go. A site is what Datadog calls it (`datadoghq.com`, `datadoghq.eu`,
 * `us3.datadoghq.com`, `ddog-gov.com`, …; the app host `app.datadoghq.eu` is accepted too) and maps to
 * `https://api.<site>` — the client's own `server1` template `https://{subdomain}.{site}`. A full http(s) URL is
 * taken as is (a proxy, or the local test server).
 *
 * Bare sites are limited to Datadog's own domains: the API and application keys go to this host, so a typo must
 * not send them to someone else's.
 */
export const KNOWN_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'uk1.datadoghq.com',
  'datadoghq.eu',
  'ddog-gov.com',
  'us2.ddog-gov.com',
] as const;

const DATADOG_DOMAIN = /^(?:[a-z0-9-]+\.)?(?:datadoghq\.com|datadoghq\.eu|ddog-gov\.com)$/;

export function datadogBaseUrl(site: string): string {
  const s = site.trim();
  if (/^https?:\/\//i.test(s)) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new RampartError('bad_request', `Datadog: site ${JSON.stringify(s)} is not a valid URL`);
    }
    if (url.username || url.password || url.search || url.hash) {
      throw new RampartError(
        'bad_request',
        'Datadog: a site URL must not carry credentials, a query string or a fragment',
      );
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  const host = s.toLowerCase().replace(/^(?:app|api)\./, '');
  if (!DATADOG_DOMAIN.test(host)) {
    throw new RampartError(
      'bad_request',
      `Datadog: unknown site ${JSON.stringify(s)}; use one of ${KNOWN_SITES.join(', ')}, or a full https:// URL`,
    );
  }
  return `https://api.${host}`;
}
