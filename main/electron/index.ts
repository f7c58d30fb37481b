import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { isFlagConnection } from '../../shared/domain/connections';
import { createCore } from '../core/core';
import { createHandlers } from '../core/handlers';
import { layeredResolver } from '../core/secret-store';
import { createRegistrar } from '../host/registrar';
import { allowedEnvNames, envSecretResolver } from '../host/env-secrets';
import { forwardEvents, registerIpc } from './ipc';
import { serveRenderer } from './protocol';
import { createSafeStorageSecrets } from './secrets';
import { APP_ORIGIN, APP_SCHEME, denyPermissions, hardenApp } from './security';
import { guardPlans } from './plan-guard';

// Every renderer is sandboxed, whatever a window's options say.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const resourcesDir = app.isPackaged
  ? join(process.resourcesPath, 'resources')
  : join(__dirname, '..', '..', 'resources');
const rendererDir = join(__dirname, '..', 'renderer');

/** The main process's own dialog: the page cannot answer it, so it cannot widen where links may go. */
async function confirmExternal(url: string): Promise<boolean> {
  const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const options = {
    type: 'question' as const,
    buttons: ['Cancel', 'Open in browser'],
    defaultId: 0,
    cancelId: 0,
    message: `Open ${new URL(url).hostname} in your browser?`,
    detail: `${url}\n\nThe Rampart window asked to open this link. It is the server of a saved connection, not a known vendor site.`,
  };
  const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
  return response === 1;
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const secretStore = createSafeStorageSecrets(safeStorage, userData);
  let core: ReturnType<typeof createCore> | undefined;
  // Variables a connection may name beyond RAMPART_…: RAMPART_ALLOW_ENV=A,B or `--allow-env=A,B` at launch.
  const allowEnv = allowedEnvNames(process.env, [app.commandLine.getSwitchValue('allow-env')]);
  const envSecrets = envSecretResolver((id) => core?.store.records.connections.get(id), process.env, allowEnv);
  core = createCore({
    dataDir: process.env.RAMPART_HOME ?? userData,
    resourcesDir,
    secrets: layeredResolver(secretStore, envSecrets),
    secretStore,
    version: app.getVersion(),
    allowEnv,
  });
  const registrar = createRegistrar(createHandlers(core));

  // External links: vendor sites directly; a saved connection's host only after the user confirms (security.ts).
  const connectionHosts = () =>
    (core?.connections.list() ?? []).flatMap((c) =>
      'url' in c && c.url && isFlagConnection(c) && URL.canParse(c.url) ? [new URL(c.url).hostname] : [],
    );
  hardenApp(app, { open: (url) => void shell.openExternal(url), confirm: confirmExternal, connectionHosts });
  denyPermissions(session.defaultSession);
  serveRenderer(protocol, rendererDir);
  registerIpc(ipcMain, registrar);
  forwardEvents(core.bus, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  await core.start();

  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    title: 'Rampart',
    show: false,
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links outside the navigation guard.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  guardPlans(core, win);
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);

  app.on('window-all-closed', () => {
    core?.close();
    app.quit();
  });
}

void start().catch((e) => {
  const message = e instanceof Error ? e.message : String(e);
  console.error('Rampart failed to start:', message);
  // A refused database (or any start-up failure) says what to do in a dialog, not only on a console nobody sees.
  if (app.isReady()) dialog.showErrorBox('Rampart could not start', message);
  app.exit(1);
});
