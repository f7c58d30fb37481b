import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { isFlagConnection } from '../../shared/domain/connections';
import { createCore } from '../core/core';
import { createHandlers } from '../core/handlers';
import { layeredResolver } from '../core/secret-store';
import { createRegistrar } from '../host/registrar';
import { envSecretResolver } from '../host/env-secrets';
import { forwardEvents, registerIpc } from './ipc';
import { serveRenderer } from './protocol';
import { createSafeStorageSecrets } from './secrets';
import { APP_ORIGIN, APP_SCHEME, denyPermissions, hardenApp } from './security';

// Every renderer is sandboxed, whatever a window's options say.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'resources') : join(__dirname, '..', '..', 'resources');
const rendererDir = join(__dirname, '..', 'renderer');

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const secretStore = createSafeStorageSecrets(safeStorage, userData);
  let core: ReturnType<typeof createCore> | undefined;
  const envSecrets = envSecretResolver((id) => core?.store.records.connections.get(id));
  core = createCore({
    dataDir: process.env.RAMPART_HOME ?? userData,
    resourcesDir,
    secrets: layeredResolver(secretStore, envSecrets),
    secretStore,
    version: app.getVersion(),
  });
  const registrar = createRegistrar(createHandlers(core));

  // External links only to the configured vendors' hosts.
  const vendorHosts = () =>
    (core?.connections.list() ?? []).flatMap((c) => ('url' in c && c.url && isFlagConnection(c) ? [new URL(c.url).hostname] : []));
  hardenApp(app, (url) => void shell.openExternal(url), vendorHosts);
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
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);

  app.on('window-all-closed', () => {
    core?.close();
    app.quit();
  });
}

void start().catch((e) => {
  console.error('Rampart failed to start:', e instanceof Error ? e.message : e);
  app.exit(1);
});
