import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The CI gate around Electronegativity (scripts/electronegativity-check.mjs): it passes on this repository (every
 * MEDIUM+ finding annotated with a reason), and it fails on an app with the classic misconfigurations, or on an
 * allowlist entry without a real reason — so a passing run means something.
 */
const REPO = resolve(__dirname, '..', '..');
const SCRIPT = join(REPO, 'scripts', 'electronegativity-check.mjs');

let work: string;

function gate(...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, output }));
  });
}

function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** A tiny Electron app with the misconfigurations the Electron security checklist warns about. */
function insecureApp(root: string): void {
  write(
    root,
    'main/index.ts',
    `import { app, BrowserWindow } from 'electron';
app.whenReady().then(() => {
  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false, sandbox: false } });
  void win.loadURL('https://example.com');
});
`,
  );
  write(
    root,
    'preload/index.ts',
    `import { contextBridge, ipcRenderer } from 'electron';\ncontextBridge.exposeInMainWorld('ipc', ipcRenderer);\n`,
  );
  write(
    root,
    'renderer/index.html',
    '<!doctype html><title>x</title><script src="http://cdn.example.com/x.js"></script>\n',
  );
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rampart-eng-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('electronegativity gate', () => {
  it('passes on this repository, fails on an insecure app and on an allowlist without reasons', async () => {
    const bad = join(work, 'bad');
    insecureApp(bad);
    const emptyAllow = join(work, 'empty-allow.json');
    writeFileSync(emptyAllow, '[]');
    const lazyAllow = join(work, 'lazy-allow.json');
    writeFileSync(
      lazyAllow,
      JSON.stringify([{ check: 'PRELOAD_JS_CHECK', file: 'main/electron/index.ts', reason: 'fine' }]),
    );

    const [repo, insecure, lazy] = await Promise.all([
      gate(),
      gate('--root', bad, '--allow', emptyAllow),
      gate('--allow', lazyAllow),
    ]);

    expect(repo.code, repo.output).toBe(0);
    expect(repo.output).toMatch(/electronegativity-check: ok/);

    expect(insecure.code, insecure.output).toBe(1);
    for (const check of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
    ]) {
      expect(insecure.output).toMatch(new RegExp(`FAIL (HIGH|MEDIUM) ${check}`));
    }

    expect(lazy.code, lazy.output).toBe(1);
    expect(lazy.output).toMatch(/needs a "reason" of at least/);
  }, 120_000);
});
