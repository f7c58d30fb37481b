/**
 * docs/security.md, browser host: "the credential cannot be read or replayed by another local origin". In Chromium,
 * against the real `rampart serve`: a tab signs in through its one-time launch link; then a page served by ANOTHER
 * server on another 127.0.0.1 port — the same site, since ports do not count, so SameSite is no defence and a
 * cookie would have been sent — tries everything a page can: fetch (with credentials, CORS and no-cors), a form
 * post, EventSource, <img>, reading the host's pages and storage, replaying the launch link. It gets no credential
 * and no authenticated request through: the host's audit log and the flag are unchanged, no handler wrote.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, openPage, requireChromium, rpc, startHost, type RunningHost } from './support/browser-host';

// The page-side code below runs in Chromium; this file is compiled without the DOM library, so its globals are declared.
declare const sessionStorage: { getItem(key: string): string | null };
declare const document: any;
declare const window: any;
declare const Image: any;

const FLAG = { connectionId: 'demo-flags', flagKey: 'checkout-v2', env: 'production' };

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let app: Page;
let evil: Server;
let evilOrigin = '';
const errors: string[] = [];

/** Every header the browser sent to the attacker's server: a cookie for 127.0.0.1 would arrive here. */
const evilSaw: Record<string, string | string[] | undefined>[] = [];

/** The attacker: a plain page on another port of 127.0.0.1, with no CSP of its own. */
function startEvilServer(): Promise<Server> {
  const server = createServer((req, res) => {
    evilSaw.push(req.headers);
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>evil</title><body>evil</body>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  requireChromium();
  host = await startHost();
  browser = await launchChromium();
  context = await browser.newContext();
  app = await context.newPage();
  app.on('pageerror', (e) => errors.push(e.message));
  await app.goto(host.launchUrl);
  await app.waitForSelector('body[data-app-state="loaded"]', { timeout: 60_000 });
  evil = await startEvilServer();
  evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (evil) await new Promise((r) => evil.close(r));
});

describe('the browser host credential, seen from another 127.0.0.1 origin', () => {
  it('the signed-in tab holds a session in sessionStorage only: no cookie, no code left in the address bar', async () => {
    expect(await context.cookies()).toEqual([]);
    expect(app.url()).not.toContain('#launch=');
    expect(app.url()).not.toContain(host.token);
    const session = await app.evaluate(() => sessionStorage.getItem('rampart.session'));
    expect(session).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(session).not.toBe(host.token);
    expect(await app.evaluate(() => document.cookie)).toBe('');
  });

  it('the launch link works once: replayed in a new tab it signs nothing in', async () => {
    const again = await context.newPage();
    const refused: number[] = [];
    again.on('response', (r) => (r.url().endsWith('/auth/session') ? refused.push(r.status()) : undefined));
    await again.goto(host.launchUrl);
    await expect.poll(() => refused).toEqual([401]);
    expect(await again.evaluate(() => sessionStorage.getItem('rampart.session'))).toBeNull();
    await again.close();
  });

  it('a page on another port gets no credential and no authenticated request through (fetch, form, EventSource, img)', async () => {
    const audit = async () => (await rpc<unknown[]>(host, 'audit:list', { limit: 100 })).length;
    const exposure = async () =>
      (await rpc<{ flag: { envs: Record<string, { exposure: number | null }> } }>(host, 'flags:get', FLAG)).flag.envs
        .production.exposure;
    const auditBefore = await audit();
    const exposureBefore = await exposure();

    const page = await openPage(browser, []);
    await page.goto(evilOrigin);
    const target = host.origin;
    const rollback = JSON.stringify({ ...FLAG, comment: 'evil rollback' });
    const outcome = await page.evaluate(
      async ({ target, rollback }) => {
        const results: Record<string, string> = {};
        const attempt = async (name: string, f: () => Promise<string>) => {
          try {
            results[name] = await f();
          } catch (e) {
            results[name] = `blocked: ${(e as Error).name}`;
          }
        };
        const post = (path: string, init: RequestInit) =>
          fetch(`${target}${path}`, { method: 'POST', ...init }).then(
            async (r) => `${r.type} ${r.status} ${await r.text().catch(() => '')}`,
          );
        await attempt('fetch cors+credentials', () =>
          post('/rpc/flags:rollback', {
            credentials: 'include',
            headers: { 'content-type': 'application/json' },
            body: rollback,
          }),
        );
        await attempt('fetch no-cors text/plain', () =>
          post('/rpc/flags:rollback', {
            mode: 'no-cors',
            credentials: 'include',
            headers: { 'content-type': 'text/plain' },
            body: rollback,
          }),
        );
        await attempt('fetch session exchange', () =>
          post('/auth/session', {
            credentials: 'include',
            headers: { 'content-type': 'application/json' },
            body: '{"code":"x"}',
          }),
        );
        await attempt('fetch ticket', () =>
          post('/auth/ticket', { credentials: 'include', mode: 'no-cors', body: '{}' }),
        );
        await attempt('read the host page', () =>
          fetch(`${target}/`, { credentials: 'include' }).then((r) => r.text()),
        );
        await attempt(
          'EventSource',
          () =>
            new Promise((resolve) => {
              const es = new EventSource(`${target}/events`, { withCredentials: true });
              es.onopen = () => resolve('opened');
              es.onerror = () => (es.close(), resolve('blocked: error'));
            }),
        );
        await attempt(
          'img',
          () =>
            new Promise((resolve) => {
              const img = new Image();
              img.onload = () => resolve('loaded');
              img.onerror = () => resolve('blocked: error');
              img.src = `${target}/rpc/flags:rollback`;
            }),
        );
        await attempt('open the host and read its storage', async () => {
          const w = window.open(`${target}/`);
          await new Promise((r) => setTimeout(r, 1500));
          try {
            return `read ${String(w?.sessionStorage.getItem('rampart.session'))}`;
          } finally {
            w?.close();
          }
        });
        // A form post lands in an iframe of our own; its outcome is only what the host recorded (checked below).
        const frame = document.createElement('iframe');
        frame.name = 'sink';
        document.body.append(frame);
        const form = Object.assign(document.createElement('form'), {
          method: 'POST',
          action: `${target}/rpc/flags:rollback`,
          target: 'sink',
          enctype: 'text/plain',
        });
        const field = Object.assign(document.createElement('input'), {
          name: rollback.slice(0, -1) + ',"x":"',
          value: '"}',
        });
        form.append(field);
        document.body.append(form);
        form.submit();
        await new Promise((r) => setTimeout(r, 1500));
        results['cookies visible to the page'] = document.cookie;
        return results;
      },
      { target, rollback },
    );

    console.log('[cross-origin] what the page on another port got:', outcome);
    // The old hole: the browser handed the attacker's SERVER a cookie for 127.0.0.1, which it could replay. Nothing
    // the browser sent there carries a credential, and whatever it sent is refused by the host.
    const session = (await app.evaluate(() => sessionStorage.getItem('rampart.session'))) ?? '<none>';
    expect(evilSaw.length).toBeGreaterThan(0);
    for (const headers of evilSaw) {
      expect(headers.cookie).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(host.token);
      expect(JSON.stringify(headers)).not.toContain(session);
    }
    const replay = await fetch(`${host.origin}/rpc/audit:list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: String(evilSaw[0].cookie ?? '') },
      body: '{}',
    });
    expect(replay.status).toBe(401);

    // Every fetch is refused: CORS hides the answer, or the host answers 401/403 (no-cors: opaque, status 0).
    for (const [name, got] of Object.entries(outcome)) {
      expect(got, name).not.toContain(host.token);
      expect(got, name).not.toMatch(/"session"|"ticket"|"result"/);
    }
    expect(outcome['fetch cors+credentials']).toMatch(/^blocked/);
    expect(outcome['fetch session exchange']).toMatch(/^blocked/);
    expect(outcome['read the host page']).toMatch(/^blocked/);
    expect(outcome.EventSource).toBe('blocked: error');
    expect(outcome.img).toBe('blocked: error');
    expect(outcome['open the host and read its storage']).toMatch(/^blocked|^read (null|undefined)$/);
    expect(outcome['cookies visible to the page']).toBe('');

    // And nothing happened on the host: no audit row, no rollback.
    expect(await audit()).toBe(auditBefore);
    expect(await exposure()).toBe(exposureBefore);
    await page.close();
  });

  it('the signed-in tab still works (the control: the same rollback from the app itself is served)', async () => {
    const status = await app.evaluate(
      async (flag) => {
        const session = sessionStorage.getItem('rampart.session');
        const r = await fetch('/rpc/flags:get', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
          body: JSON.stringify(flag),
        });
        return r.status;
      },
      { connectionId: FLAG.connectionId, flagKey: FLAG.flagKey },
    );
    expect(status).toBe(200);
    expect(errors).toEqual([]);
  });
});
