import type { App, Session, WebContents } from 'electron';

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
 * openExternal is allowed only for https URLs whose host is exactly one of the configured vendors' hosts (or a
 * subdomain of one). Parsed with URL, never startsWith: `example.com.attacker.com` must not pass.
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

/** App-wide hardening: no webviews, no navigation away, no new windows, no permissions. */
export function hardenApp(app: App, openExternal: (url: string) => void, allowedExternalHosts: () => readonly string[]): void {
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
      if (isAllowedExternal(url, allowedExternalHosts())) openExternal(new URL(url).href);
      return { action: 'deny' };
    });
  });
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}
