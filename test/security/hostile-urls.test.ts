import { EventEmitter } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  externalDecision,
  hardenApp,
  isAllowedExternal,
  isAppUrl,
  VENDOR_WEB_HOSTS,
} from '../../main/electron/security';
import { HOSTILE_URLS, hostileAround, LEGIT_APP, LEGIT_EXTERNAL, VENDOR_HOSTS } from './support/hostile-urls';

/**
 * docs/security.md figure: "hostile URLs to navigation / window-open / openExternal: ≥ 100 → 0 allowed". The guards are
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

const CONNECTION_HOSTS = ['unleash.example.com', 'flags.internal.example.org'];

/** hardenApp with recorders: what went to openExternal, what the main-process dialog was asked, and its answer. */
function hardened(answer = false) {
  const app = new EventEmitter();
  const opened: string[] = [];
  const asked: string[] = [];
  hardenApp(app as unknown as App, {
    open: (url) => opened.push(url),
    confirm: async (url) => (asked.push(url), answer),
    connectionHosts: () => CONNECTION_HOSTS,
  });
  const contents = new FakeContents();
  app.emit('web-contents-created', {}, contents);
  return { contents, opened, asked };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('hardenApp wires the guards into every WebContents', () => {
  it('will-navigate and will-redirect: every hostile URL and every vendor page is cancelled; the app is not', () => {
    const { contents } = hardened();
    for (const event of ['will-navigate', 'will-redirect']) {
      const through = [...HOSTILE_URLS, ...LEGIT_EXTERNAL].filter((u) => !contents.cancelled(event, u));
      expect(through, event).toEqual([]);
      expect(
        LEGIT_APP.filter((u) => contents.cancelled(event, u)),
        event,
      ).toEqual([]);
    }
  });

  it(`window.open: always denied in-app; ${HOSTILE_URLS.length + hostileAround(VENDOR_WEB_HOSTS).length} hostile URLs neither open nor ask`, async () => {
    const hostile = [...HOSTILE_URLS, ...hostileAround(VENDOR_WEB_HOSTS), ...LEGIT_APP];
    for (const answer of [false, true]) {
      const { contents, opened, asked } = hardened(answer);
      for (const url of hostile) expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
      await settle();
      expect(opened).toEqual([]);
      expect(asked).toEqual([]);
    }
    expect(hostile.filter((u) => externalDecision(u, CONNECTION_HOSTS) !== 'deny')).toEqual([]);
  });

  it('a fixed vendor site opens directly; a saved connection host opens only once the user confirms the main-process dialog', async () => {
    const vendor = 'https://app.launchdarkly.com/default/production/features/new-checkout?tab=targeting#rules';
    const selfHosted = 'https://UNLEASH.example.com/projects/default/features/checkout-v2';
    const declined = hardened(false);
    for (const url of [vendor, selfHosted]) declined.contents.openHandler?.({ url });
    await settle();
    expect(declined.opened).toEqual([new URL(vendor).href]);
    expect(declined.asked).toEqual([new URL(selfHosted).href]);

    const accepted = hardened(true);
    accepted.contents.openHandler?.({ url: selfHosted });
    await settle();
    expect(accepted.opened).toEqual([new URL(selfHosted).href]);
    // What is opened is what was checked: a backslash the OS might read differently is normalized away first.
    accepted.contents.openHandler?.({ url: 'https://app.launchdarkly.com\\.attacker.com' });
    expect(accepted.opened.at(-1)).toBe('https://app.launchdarkly.com/.attacker.com');
  });

  it('the page cannot widen the list: a connection it saved to any host still needs the dialog; a stacked prompt is dropped', async () => {
    expect(externalDecision('https://evil.example/phish', ['evil.example'])).toBe('confirm');
    expect(externalDecision('https://evil.example/phish', [])).toBe('deny');
    const { contents, opened, asked } = hardened(false);
    for (let i = 0; i < 5; i++) contents.openHandler?.({ url: `https://unleash.example.com/${i}` });
    await settle();
    expect(asked).toEqual(['https://unleash.example.com/0']);
    expect(opened).toEqual([]);
  });

  it('<webview> attachment is always cancelled', () => {
    const { contents } = hardened();
    expect(contents.cancelled('will-attach-webview', 'app://rampart/index.html')).toBe(true);
  });
});
