import { EventEmitter } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenApp, isAllowedExternal, isAppUrl } from '../../main/electron/security';
import { HOSTILE_URLS, LEGIT_APP, LEGIT_EXTERNAL, VENDOR_HOSTS } from './support/hostile-urls';

/**
 * SECURITY.md figure: "hostile URLs to navigation / window-open / openExternal: ≥ 100 → 0 allowed". The guards are
 * the pure functions (isAppUrl for will-navigate / will-redirect and the IPC sender check; isAllowedExternal for
 * openExternal) and hardenApp, which wires them into every WebContents — exercised here with a stand-in App.
 */
describe('hostile URLs', () => {
  it(`has at least 100 distinct hostile URLs (${HOSTILE_URLS.length})`, () => {
    expect(HOSTILE_URLS.length).toBeGreaterThanOrEqual(100);
  });

  it('openExternal allowlist: 0 hostile URLs allowed; legitimate vendor links allowed', () => {
    const allowed = HOSTILE_URLS.filter((u) => isAllowedExternal(u, VENDOR_HOSTS));
    expect(allowed).toEqual([]);
    expect(LEGIT_EXTERNAL.filter((u) => !isAllowedExternal(u, VENDOR_HOSTS))).toEqual([]);
  });

  it('navigation guard: 0 hostile URLs (nor vendor pages) count as the app; the app itself does', () => {
    expect(HOSTILE_URLS.filter((u) => isAppUrl(u))).toEqual([]);
    expect(LEGIT_EXTERNAL.filter((u) => isAppUrl(u))).toEqual([]);
    expect(isAppUrl(undefined)).toBe(false);
    expect(LEGIT_APP.filter((u) => !isAppUrl(u))).toEqual([]);
  });

  it('an empty allowlist, or an empty entry in it, allows nothing', () => {
    for (const u of [...LEGIT_EXTERNAL, 'https://evil.com./', 'https://evil.com/']) {
      expect(isAllowedExternal(u, [])).toBe(false);
      expect(isAllowedExternal(u, [''])).toBe(false);
    }
  });
});

/** Just enough of WebContents for hardenApp: event handlers and the window-open handler. */
class FakeContents extends EventEmitter {
  openHandler?: (details: { url: string }) => { action: string };
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }): void {
    this.openHandler = h;
  }
  /** Emits a cancellable event the way Electron does; true when a handler called preventDefault. */
  cancelled(event: string, url: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

function hardened() {
  const app = new EventEmitter();
  const opened: string[] = [];
  hardenApp(app as unknown as App, (url) => opened.push(url), () => VENDOR_HOSTS);
  const contents = new FakeContents();
  app.emit('web-contents-created', {}, contents);
  return { contents, opened };
}

describe('hardenApp wires the guards into every WebContents', () => {
  it('will-navigate and will-redirect: every hostile URL and every vendor page is cancelled; the app is not', () => {
    const { contents } = hardened();
    for (const event of ['will-navigate', 'will-redirect']) {
      const through = [...HOSTILE_URLS, ...LEGIT_EXTERNAL].filter((u) => !contents.cancelled(event, u));
      expect(through, event).toEqual([]);
      expect(LEGIT_APP.filter((u) => contents.cancelled(event, u)), event).toEqual([]);
    }
  });

  it('window.open: always denied in-app; only allowlisted https links go to openExternal, normalized', () => {
    const { contents, opened } = hardened();
    for (const url of [...HOSTILE_URLS, ...LEGIT_EXTERNAL, ...LEGIT_APP]) {
      expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(LEGIT_EXTERNAL.map((u) => new URL(u).href));
    // What is opened is what was checked: a backslash the OS might read differently is normalized away first.
    contents.openHandler?.({ url: 'https://unleash.example.com\\.attacker.com' });
    expect(opened.at(-1)).toBe('https://unleash.example.com/.attacker.com');
  });

  it('<webview> attachment is always cancelled', () => {
    const { contents } = hardened();
    expect(contents.cancelled('will-attach-webview', 'app://rampart/index.html')).toBe(true);
  });
});
