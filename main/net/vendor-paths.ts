import { RampartError } from '../../shared/errors';

/**
 * URL building for the vendor client (./vendor-client.ts): encoded path segments, query strings, and paging links
 * that may never lead the credential to another host.
 */

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * A path whose interpolated values are each one encoded segment: pathOf`/api/v1/features/${key}/toggle` never lets
 * a key such as `a/../b` or `x?y` change the route.
 */
export function pathOf(strings: TemplateStringsArray, ...segments: (string | number)[]): string {
  return strings.reduce(
    (out, s, i) => out + s + (i < segments.length ? encodeURIComponent(String(segments[i])) : ''),
    '',
  );
}

/** The configured base without trailing slashes; refuses anything but an absolute http(s) URL. */
export function baseOf(vendor: string, baseUrl: string): { root: string; origin: string } {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new RampartError('bad_request', `${vendor}: the base URL is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new RampartError('bad_request', `${vendor}: the base URL must be http(s), not ${u.protocol}`);
  if (u.username || u.password)
    throw new RampartError(
      'bad_request',
      `${vendor}: the base URL must not carry credentials; name a token variable instead`,
    );
  return { root: baseUrl.replace(/\/+$/, '').replace(/[?#].*$/, ''), origin: u.origin };
}

/** `root + path` with the query appended (undefined values left out); a path may already carry a query. */
export function urlOf(root: string, path: string, query?: Query): string {
  const u = new URL(`${root}${path.startsWith('/') ? '' : '/'}${path}`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

/**
 * A paging link from a vendor body: relative ones are appended to the configured base (so a base path behind a
 * proxy is kept), absolute ones are followed only on the configured origin — the token must not follow a link
 * elsewhere, whatever the server (or a proxy in front of it) wrote.
 */
export function resolveLink(vendor: string, root: string, origin: string, href: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) return urlOf(root, href);
  const u = new URL(href);
  if (u.origin !== origin) {
    throw new RampartError(
      'vendor_error',
      `${vendor}: refusing to follow a paging link to another host (${u.origin}); the token is only sent to ${origin}`,
    );
  }
  return u.toString();
}
