import { EventEmitter } from 'node:events';
import type { IpcMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, REQUEST_CHANNELS } from '../../shared/contract';
import { registerIpc } from '../../main/electron/ipc';
import { createRegistrar, type Handlers } from '../../main/host/registrar';
import { HOSTILE_URLS, LEGIT_EXTERNAL } from './support/hostile-urls';

/**
 * docs/security.md, IPC: "every handler checks the sender frame's URL is the app's own; … the preload never exposes
 * ipcRenderer or a generic channel call". Both ends, with stand-ins for Electron's ipcMain and contextBridge.
 */

type Invoke = (event: { senderFrame: { url: string } | null }, payload: unknown) => Promise<unknown>;

function ipcWithSpies() {
  const handled = new Map<string, Invoke>();
  const ipcMain = {
    handle: (ch: string, fn: Invoke) => handled.set(ch, fn),
    removeHandler: (ch: string) => handled.delete(ch),
  };
  let runs = 0;
  const handlers = Object.fromEntries(
    REQUEST_CHANNELS.map((c) => [c, () => (runs++, { ok: c })]),
  ) as unknown as Handlers;
  const unregister = registerIpc(ipcMain as unknown as IpcMain, createRegistrar(handlers));
  return { handled, runs: () => runs, unregister };
}

describe('ipcMain handlers', () => {
  it('exist for exactly the contract channels (no generic channel), and are removed on unregister', () => {
    const { handled, unregister } = ipcWithSpies();
    expect([...handled.keys()].sort()).toEqual([...REQUEST_CHANNELS].sort());
    unregister();
    expect(handled.size).toBe(0);
  });

  it(`refuse calls from ${HOSTILE_URLS.length + LEGIT_EXTERNAL.length + 1} foreign frames before any handler runs`, async () => {
    const { handled, runs } = ipcWithSpies();
    const invoke = handled.get('connections:list');
    for (const url of [...HOSTILE_URLS, ...LEGIT_EXTERNAL]) {
      expect(await invoke?.({ senderFrame: { url } }, {}), url).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect(await invoke?.({ senderFrame: null }, {})).toMatchObject({ error: { code: 'unauthorized' } }); // frame gone
    expect(runs()).toBe(0);
    expect(await invoke?.({ senderFrame: { url: 'app://rampart/index.html' } }, {})).toEqual({
      result: { ok: 'connections:list' },
    });
    expect(runs()).toBe(1);
  });
});

// The preload imports 'electron'; replace it with recorders of what gets exposed and invoked.
const exposed = vi.hoisted(() => ({
  world: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  renderer: null as unknown,
}));
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const ipcRenderer = Object.assign(new Emitter(), {
    invoke: (channel: string, payload: unknown) => {
      exposed.invoked.push([channel, payload]);
      return Promise.resolve({ result: null });
    },
  });
  exposed.renderer = ipcRenderer;
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.world.set(key, api) },
    ipcRenderer,
  };
});

describe('the preload bridge', () => {
  it('exposes only window.rampart = {request: one function per channel, on}, frozen, without ipcRenderer', async () => {
    await import('../../preload/index');
    expect([...exposed.world.keys()]).toEqual(['rampart']);
    const bridge = exposed.world.get('rampart') as {
      request: Record<string, (p: unknown) => Promise<unknown>>;
      on: (e: string, l: (p: unknown) => void) => () => void;
    };
    expect(Object.keys(bridge).sort()).toEqual(['on', 'request']);
    expect(Object.isFrozen(bridge) && Object.isFrozen(bridge.request)).toBe(true);
    expect(Object.keys(bridge.request).sort()).toEqual([...REQUEST_CHANNELS].sort());
    expect(Object.values(bridge.request).every((f) => typeof f === 'function')).toBe(true);
    expect((Object.values(bridge) as unknown[]).includes(exposed.renderer)).toBe(false);

    // Each function invokes its own channel only, whatever the page passes.
    await bridge.request['flags:get']({ connectionId: 'x', flagKey: 'y' });
    expect(exposed.invoked.at(-1)).toEqual(['flags:get', { connectionId: 'x', flagKey: 'y' }]);

    // on(): contract events only; the listener gets the payload, never Electron's event object (its `sender`).
    expect(() => bridge.on('ipc-internal', () => undefined)).toThrow(/Unknown event/);
    const seen: unknown[] = [];
    const off = bridge.on(EVENT_NAMES[0], (p) => seen.push(p));
    (exposed.renderer as EventEmitter).emit(EVENT_NAMES[0], { sender: 'the-ipc-renderer' }, { at: 1 });
    expect(seen).toEqual([{ at: 1 }]);
    off();
    (exposed.renderer as EventEmitter).emit(EVENT_NAMES[0], {}, { at: 2 });
    expect(seen).toHaveLength(1);
  });
});
