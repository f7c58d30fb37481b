import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { changeLabel, type FlagChange } from '../../shared/domain/flags';
import { DAY_MS } from '../../shared/domain/lifecycle';
import { createLifecycleSettings } from '../lifecycle/settings';
import type { Store } from '../store';
import { DEMO_ENVIRONMENT } from './demo-history';

/** The demo's stale flag: on for everyone for 45 days, still read in two places of the bundled example shop. */
export const DEMO_STALE_FLAG = 'onboarding-v2';
const RELEASED_DAYS_AGO = 45;
const CREATED_DAYS_AGO = 52;

const DEFINITION = {
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'on',
  metadata: {
    name: 'New onboarding flow',
    description:
      'Two-step onboarding for new accounts; on for everyone for weeks. Stale: the code still branches on it.',
    owner: 'growth-team',
  },
};

/** The folder of example sources the demo registers for code references (resources/demo/example-src). */
export function demoExampleSources(resourcesDir: string): string {
  return path.join(resourcesDir, 'demo', 'example-src');
}

/** The flag's past: created off 52 days ago, released to everyone 45 days ago, untouched since. */
export function demoStaleHistory(now: number, connectionId: string): FlagChange[] {
  const created = { enabled: false, exposure: 100 };
  const released = { enabled: true, exposure: 100 };
  const base = { connectionId, flagKey: DEMO_STALE_FLAG, env: DEMO_ENVIRONMENT, source: 'vendor' as const };
  return [
    {
      ...base,
      id: `${connectionId}:demo-lifecycle:0`,
      at: now - CREATED_DAYS_AGO * DAY_MS,
      kind: 'created',
      from: null,
      to: created,
      label: changeLabel('created', null, created),
      actor: 'erin (demo)',
      comment: 'New onboarding behind a flag, off',
    },
    {
      ...base,
      id: `${connectionId}:demo-lifecycle:1`,
      at: now - RELEASED_DAYS_AGO * DAY_MS,
      kind: 'enabled',
      from: created,
      to: released,
      label: changeLabel('enabled', created, released),
      actor: 'erin (demo)',
      comment: 'Activation +4 %: on for everyone',
    },
  ];
}

/**
 * Issue 14 in the demo: one stale flag in the user's copy of the flag file (added on first run, written atomically),
 * its history, the example sources as the code-reference folder, and the stale-flag reminder off (a demo must not
 * notify anyone).
 */
export function installLifecycleDemo(o: {
  store: Store;
  flagsFile: string;
  created: boolean;
  resourcesDir: string;
  connectionId: string;
  now: number;
}): void {
  if (o.created) {
    const doc = JSON.parse(readFileSync(o.flagsFile, 'utf8')) as { flags: Record<string, unknown> };
    if (!doc.flags[DEMO_STALE_FLAG]) {
      doc.flags[DEMO_STALE_FLAG] = DEFINITION;
      const tmp = `${o.flagsFile}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
      renameSync(tmp, o.flagsFile);
    }
    o.store.changes.add(demoStaleHistory(o.now, o.connectionId));
  }
  const sources = demoExampleSources(o.resourcesDir);
  createLifecycleSettings(o.store.records).save({
    codeRoots: existsSync(sources) ? [sources] : [],
    reminder: { enabled: false },
  });
}
