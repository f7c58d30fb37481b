import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_CHANNELS } from '../../shared/contract';

/**
 * docs/security.md, Electron: the real main process (main/electron/index.ts) started against stand-ins for Electron's
 * modules that record what it asked for — sandbox for every renderer, contextIsolation, no node integration, no
 * webview, web security on; pages from app:// with the CSP header; navigation, new windows and permissions denied;
 * IPC answered only for the app's own frame. And a start-up that cannot open the database says why in a dialog.
 */
const e = vi.hoisted(() => ({
  calls: [] as string[],
  windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
  protocolHandler: null as null | ((req: { url: string }) => Promise<Response>),
  privileged: [] as unknown[],
  ipc: new Map<string, (event: { senderFrame: { url: string } | null }, payload: unknown) => Promise<unknown>>(),
  permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as null | (() => boolean),
  errorBoxes: [] as [string, string][],
  exits: [] as number[],
  app: null as unknown as EventEmitter,
  userData: '',
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    enableSandbox: () => void e.calls.push('enableSandbox'),
    whenReady: async () => void e.calls.push('whenReady'),
    isReady: () => true,
    getPath: () => e.userData,
    getVersion: () => '0.0.0-test',
    isPackaged: false,
    commandLine: { getSwitchValue: () => '' },
    quit: () => void e.calls.push('quit'),
    exit: (code: number) => void e.exits.push(code),
  });
  e.app = app;
  class BrowserWindow {
    static getAllWindows = () => [];
    static getFocusedWindow = () => null;
    record: { options: Record<string, unknown>; loaded: string[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      e.windows.push(this.record);
    }
    once() {}
    on() {}
    show() {}
    async loadURL(url: string) {
      this.record.loaded.push(url);
    }
  }
  return {
    app,
    BrowserWindow,
    dialog: {
      showErrorBox: (title: string, text: string) => void e.errorBoxes.push([title, text]),
      showMessageBox: async () => ({ response: 0 }),
    },
    ipcMain: { handle: (ch: string, fn: never) => e.ipc.set(ch, fn), removeHandler: (ch: string) => e.ipc.delete(ch) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => void e.privileged.push(s),
      handle: (_scheme: string, fn: never) => void (e.protocolHandler = fn),
    },
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: () => Buffer.alloc(0),
      decryptString: () => '',
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: never) => void (e.permissionRequest = fn),
        setPermissionCheckHandler: (fn: never) => void (e.permissionCheck = fn),
        setDevicePermissionHandler: () => undefined,
      },
    },
    shell: { openExternal: async () => undefined },
    Notification: class {
      static isSupported = () => false;
      show() {}
    },
  };
});

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-electron-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  e.app?.emit('window-all-closed'); // closes the core the main process started
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  delete process.env.RAMPART_HOME;
});

async function startMain(dataDir: string): Promise<void> {
  e.userData = dataDir;
  process.env.RAMPART_HOME = dataDir;
  vi.resetModules();
  await import('../../main/electron/index');
}

class FakeContents extends EventEmitter {
  openHandler?: (d: { url: string }) => { action: string };
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
  cancelled(event: string, url: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

describe('the Electron main process', () => {
  it('opens a sandboxed, context-isolated window on app:// and nothing else', async () => {
    await startMain(tmp());
    await expect.poll(() => e.windows.length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => e.windows[0].loaded).toEqual(['app://rampart/index.html']);
    expect(e.calls.indexOf('enableSandbox')).toBeLessThan(e.calls.indexOf('whenReady'));
    expect(e.privileged).toEqual([
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
    ]);
    const prefs = e.windows[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.js$/);
  });

  it('serves pages with the CSP (no unsafe-inline, no unsafe-eval) and never outside the renderer folder', async () => {
    const page = await e.protocolHandler!({ url: 'app://rampart/index.html' });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    for (const url of [
      'app://rampart/../../../etc/passwd',
      'app://rampart/%2e%2e/%2e%2e/etc/passwd',
      'app://rampart/..%2f..%2fpackage.json',
    ]) {
      const res = await e.protocolHandler!({ url });
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toMatch(/root:|"name": "rampart"/);
    }
  });

  it('denies every permission, navigation away, new windows and webviews', () => {
    let granted: boolean | undefined;
    e.permissionRequest!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(e.permissionCheck!()).toBe(false);
    const contents = new FakeContents();
    e.app.emit('web-contents-created', {}, contents);
    expect(contents.cancelled('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.cancelled('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(contents.cancelled('will-navigate', 'app://rampart/index.html')).toBe(false);
    expect(contents.cancelled('will-attach-webview', 'app://rampart/index.html')).toBe(true);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('answers IPC for the app frame only, through the real core', async () => {
    expect([...e.ipc.keys()].sort()).toEqual([...REQUEST_CHANNELS].sort());
    const info = e.ipc.get('app:info')!;
    expect(await info({ senderFrame: { url: 'https://evil.example/' } }, {})).toMatchObject({
      error: { code: 'unauthorized' },
    });
    expect(await info({ senderFrame: { url: 'app://rampart/index.html' } }, {})).toMatchObject({
      result: { demo: true },
    });
  });

  it('a database it must refuse stops the start with a dialog that says what to do, and exit code 1', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'rampart.db'),
      'not a database, but a file someone left here long enough to have a header'.repeat(4),
    );
    const windowsBefore = e.windows.length;
    e.app.emit('window-all-closed'); // the first start's core is closed before the second one
    await startMain(dir);
    await expect.poll(() => e.exits).toEqual([1]);
    expect(e.errorBoxes).toHaveLength(1);
    expect(e.errorBoxes[0][0]).toBe('Rampart could not start');
    expect(e.errorBoxes[0][1]).toMatch(/Refusing to open .*rampart\.db.*To start fresh/);
    expect(e.windows.length).toBe(windowsBefore);
  });
});
