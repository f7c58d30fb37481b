/**
 * The browser tab's credential for the browser host (docs/security.md, browser host). The launch link carries a
 * one-time code in its fragment (`#launch=…`: never sent to a server, never in a Referer); the page removes it from
 * the address bar and trades it ONCE at `POST /auth/session` for a session it keeps in sessionStorage — per tab and
 * per origin (port included), unlike a cookie — and sends as `Authorization: Bearer` on every call. The event stream
 * gets a single-use ticket from `POST /auth/ticket` per connection. No DOM globals: the page passes them in.
 */
import type { FetchLike, HttpAuth } from './http-transport';

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SessionOptions {
  baseUrl: string;
  fetch: FetchLike;
  /** The launch code of this page load, already removed from the address bar; null when it carried none. */
  launchCode: string | null;
  /** sessionStorage, or null where the page cannot use it (the session then lives in memory only). */
  storage: StorageLike | null;
}

const KEY = 'rampart.session';

function safely<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback; // storage disabled or full: the session still lives in memory for this page
  }
}

async function postJson(
  o: SessionOptions,
  path: string,
  body: unknown,
  credential?: string | null,
): Promise<{ status: number; value: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const res = await o.fetch(`${o.baseUrl}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  return { status: res.status, value: res.ok ? await res.json() : undefined };
}

export function browserSession(o: SessionOptions): HttpAuth {
  let session: Promise<string | null> | null = null;

  const stored = (): string | null => (o.storage ? safely(() => o.storage!.getItem(KEY), null) : null);
  const start = async (): Promise<string | null> => {
    if (o.launchCode) {
      try {
        const res = await postJson(o, '/auth/session', { code: o.launchCode });
        const value = (res.value as { session?: unknown } | undefined)?.session;
        if (typeof value === 'string' && value.length > 0) {
          if (o.storage) safely(() => o.storage!.setItem(KEY, value), undefined);
          return value;
        }
      } catch {
        // unreachable host: fall back to a session this tab already holds, if any
      }
    }
    // A reload, or a spent link opened again in a tab that already signed in.
    return stored();
  };

  const auth: HttpAuth = {
    credential() {
      session ??= start();
      return session;
    },
    async eventTicket() {
      const res = await postJson(o, '/auth/ticket', {}, await auth.credential());
      const ticket = (res.value as { ticket?: unknown } | undefined)?.ticket;
      if (res.status === 401) auth.rejected();
      if (typeof ticket !== 'string') throw new Error(`no event-stream ticket (HTTP ${res.status})`);
      return ticket;
    },
    rejected() {
      if (o.storage) safely(() => o.storage!.removeItem(KEY), undefined);
      session = Promise.resolve(null);
    },
  };
  return auth;
}

/** Reads `#launch=<code>` from the page's address and removes it (history.replaceState), so it is used once. */
export function takeLaunchCode(
  location: { hash: string; pathname: string; search: string },
  history: { replaceState(data: unknown, unused: string, url: string): void },
): string | null {
  const m = /(?:^#|&)launch=([A-Za-z0-9_-]{16,200})(?:&|$)/.exec(location.hash);
  if (!m) return null;
  safely(() => history.replaceState(null, '', location.pathname + location.search), undefined);
  return m[1];
}
