import type { App, Session, WebContents } from 'electron';
import { ALL_KINDS, specOfKind } from '../../shared/kinds';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://rampart`;

/** True only for pages served by our own app:// protocol (never file://, never a remote page). */
export function isAppUrl(raw: string | undefined): boolean {
  if (!raw) return false;
  try {
    const u = new URL(raw);
    // No userinfo either: only the one canonical origin counts as the app.
    return u.protocol === `${APP_SCHEME}:` && u.host === 'rampart' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * True only for https URLs whose host is exactly one of `allowedHosts` (or a subdomain of one), without userinfo or
 * a port. Parsed with URL, never startsWith: `example.com.attacker.com` must not pass.
 */
export function isAllowedExternal(raw: string, allowedHosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return false;
  const host = u.hostname.toLowerCase();
  // An empty entry must not turn `endsWith('.')` into "any host with a trailing dot".
  return allowedHosts.some((h) => h.length > 0 && (host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase()}`)));
}

/**
 * The vendors' own web apps: links there open directly. Fixed in the code, so nothing the renderer saves can add to
 * it (a connection's URL is whatever the page sent in connections:save).
 */
export const VENDOR_WEB_HOSTS: readonly string[] = [
  ...ALL_KINDS.flatMap((k) => specOfKind(k).webHosts ?? []),
  'openfeature.dev',
];

export type ExternalDecision = 'open' | 'confirm' | 'deny';

/**
 * What to do with a link the page asks to open outside the app: a vendor site opens; the host of a saved connection
 * (a self-hosted Unleash, a Prometheus) only after the user confirms a main-process dialog — the page can save any
 * URL as a connection, so it alone must not be able to widen the list; anything else is denied.
 */
export function externalDecision(raw: string, connectionHosts: readonly string[]): ExternalDecision {
  if (isAllowedExternal(raw, VENDOR_WEB_HOSTS)) return 'open';
  if (isAllowedExternal(raw, connectionHosts)) return 'confirm';
  return 'deny';
}

export interface ExternalLinks {
  open: (url: string) => void;
  /** A main-process dialog naming the URL; resolves true only if the user chose to open it. */
  confirm: (url: string) => Promise<boolean>;
  /** Hosts of the saved connections (each needs the user's confirmation). */
  connectionHosts: () => readonly string[];
}

/** App-wide hardening: no webviews, no navigation away, no new windows, no permissions; external links as above. */
export function hardenApp(app: App, links: ExternalLinks): void {
  let asking = false; // one dialog at a time: a page cannot stack prompts until one is clicked by accident
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.on('will-navigate', (e, url) => {
      if (!isAppUrl(url)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!isAppUrl(url)) e.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      // Open the URL exactly as it was checked (WHATWG-normalized), never the raw string: the OS handler's parser
      // may read `https://vendor.example\\.evil` or stray whitespace differently from `URL`.
      const decision = externalDecision(url, links.connectionHosts());
      if (decision === 'open') links.open(new URL(url).href);
      if (decision === 'confirm' && !asking) {
        const href = new URL(url).href;
        asking = true;
        void links
          .confirm(href)
          .then((yes) => yes && links.open(href))
          .catch(() => undefined)
          .finally(() => (asking = false));
      }
      return { action: 'deny' };
    });
  });
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}
