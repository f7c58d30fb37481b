import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlagChange } from '../../../shared/domain/flags';
import { SAMPLE, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

let tmp: TempFlagFile;
const stops: Array<() => void> = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  tmp?.cleanup();
});

type Sample = Record<string, unknown> & { flags: Record<string, Record<string, unknown>> };
const sample = (): Sample => structuredClone(SAMPLE) as unknown as Sample;
const text = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;
const bucketBy = { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] };
const NOW = 1_750_000_000_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for a watch event');
    await sleep(10);
  }
}

/** A store watching its file, collecting every batch of changes. Fast debounce and poll for the test. */
async function watched(file: string) {
  const store = storeFor(file, { now: () => NOW, watchDebounceMs: 30, watchPollMs: 100 });
  const seen: FlagChange[] = [];
  stops.push(store.watch!((changes) => seen.push(...changes)));
  await sleep(150); // let the watcher read its baseline
  return { store, seen };
}

describe('flagd adapter: watching the file', () => {
  it('reports an external edit per flag as old → new, with a stable id', async () => {
    tmp = tempFlagFile();
    const { seen } = await watched(tmp.file);
    const edited = sample();
    edited.flags['new-checkout'].targeting = { fractional: [bucketBy, ['on', 50], ['off', 50]] };
    edited.flags['static-on'].state = 'DISABLED';
    writeFileSync(tmp.file, text(edited));
    await until(() => seen.length >= 2);
    await sleep(300);
    expect(seen).toHaveLength(2);
    const ramp = seen.find((c) => c.flagKey === 'new-checkout')!;
    expect(ramp).toMatchObject({
      connectionId: 'flags-test',
      env: 'production',
      at: NOW,
      kind: 'exposure',
      from: { exposure: 25 },
      to: { exposure: 50 },
      label: 'rollout 25% → 50%',
      source: 'watch',
    });
    expect(ramp.id).toMatch(/^flags-test:watch:[0-9a-f]{16}:new-checkout$/);
    expect(seen.find((c) => c.flagKey === 'static-on')).toMatchObject({
      kind: 'enabled',
      from: { enabled: true },
      to: { enabled: false },
      label: 'on → off',
    });
  });

  it('stays silent for its own writes, and still reports the next external edit', async () => {
    tmp = tempFlagFile();
    const { store, seen } = await watched(tmp.file);
    await store.setExposure('new-checkout', 'production', 50, { comment: 'ramp', expected: 25 });
    await store.setEnabled('three-way', 'production', false, { comment: 'off' });
    await sleep(400); // several polls and debounce windows
    expect(seen).toEqual([]);

    const edited = sample();
    edited.flags['new-checkout'].targeting = { fractional: [bucketBy, ['on', 5], ['off', 95]] };
    edited.flags['three-way'].state = 'DISABLED';
    writeFileSync(tmp.file, text(edited));
    await until(() => seen.length >= 1);
    await sleep(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ flagKey: 'new-checkout', from: { exposure: 50 }, to: { exposure: 5 } });
  });

  it('reports an external edit that landed just before its own write, but not the write itself', async () => {
    tmp = tempFlagFile();
    const { store, seen } = await watched(tmp.file);
    const edited = sample();
    edited.flags['three-way'].state = 'DISABLED';
    writeFileSync(tmp.file, text(edited)); // someone else's edit …
    await store.setExposure('new-checkout', 'production', 50, { comment: 'ramp', expected: 25 }); // … and ours, at once
    await until(() => seen.length >= 1);
    await sleep(300);
    expect(seen.map((c) => `${c.flagKey}:${c.kind}`)).toEqual(['three-way:enabled']);
  });

  it('reports rule changes, new and removed flags; skips a half-saved file', async () => {
    tmp = tempFlagFile();
    const { seen } = await watched(tmp.file);
    writeFileSync(tmp.file, '{ "flags": { "half'); // an editor mid-save: ignored
    await sleep(250);
    expect(seen).toEqual([]);
    const edited = sample();
    edited.flags['staff-only'].targeting = { if: [{ $ref: 'isStaff' }, 'on', 'on'] };
    delete edited.flags['static-off'];
    edited.flags['brand-new'] = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };
    writeFileSync(tmp.file, text(edited));
    await until(() => seen.length >= 3);
    const byFlag = Object.fromEntries(seen.map((c) => [c.flagKey, c]));
    expect(byFlag['staff-only']).toMatchObject({
      kind: 'exposure',
      label: 'rollout 0% → 100%, targeting: if $ref isStaff → on; else on',
    });
    expect(byFlag['static-off']).toMatchObject({ kind: 'archived', to: null });
    expect(byFlag['brand-new']).toMatchObject({ kind: 'created', from: null, to: { enabled: true, exposure: 0 } });
  });

  it('stops reporting once unsubscribed', async () => {
    tmp = tempFlagFile();
    const { seen } = await watched(tmp.file);
    stops.splice(0).forEach((stop) => stop());
    const edited = sample();
    edited.flags['three-way'].state = 'DISABLED';
    writeFileSync(tmp.file, text(edited));
    await sleep(400);
    expect(seen).toEqual([]);
  });
});
