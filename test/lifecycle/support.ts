import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/core';
import { createHandlers } from '../../main/core/handlers';
import { createRegistrar } from '../../main/host/registrar';
import type { Door } from '../../main/core/handler-types';
import type { SecretResolver } from '../../main/flags/flag-store';

export const RESOURCES = join(__dirname, '..', '..', 'resources');
export const DAY = 86_400_000;

/** A core on the demo workspace in a fresh data dir (or a given one), with an optional clock; closed by `closeAll`. */
export function demoCore(
  o: { dataDir?: string; now?: () => number; secrets?: (core: () => Core) => SecretResolver } = {},
) {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'rampart-lifecycle-'));
  const core: Core = createCore({
    dataDir,
    resourcesDir: RESOURCES,
    secrets: o.secrets ? o.secrets(() => core) : () => undefined,
    version: 'test',
    user: () => 'tester',
    now: o.now,
  });
  const r = createRegistrar(createHandlers(core));
  const call = <C extends Parameters<typeof r.call>[0]>(c: C, p: Parameters<typeof r.call<C>>[1], door: Door = 'cli') =>
    r.call(c, p, { door });
  opened.push({ core, dataDir, own: !o.dataDir });
  return { core, call, dataDir };
}

const opened: { core: Core; dataDir: string; own: boolean }[] = [];
export function closeAll(): void {
  for (const o of opened.splice(0)) {
    o.core.close();
    if (o.own) rmSync(o.dataDir, { recursive: true, force: true });
  }
}
