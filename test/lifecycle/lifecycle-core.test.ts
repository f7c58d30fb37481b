import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, DAY, demoCore } from './support';

afterEach(closeAll);

/** The flagd file's checkout-v2 "on" share, read raw: what a flagd daemon would serve. */
function fileShare(dataDir: string, flag: string): { state: string; on: number | null } {
  const doc = JSON.parse(readFileSync(join(dataDir, 'demo', 'flags.json'), 'utf8'));
  const f = doc.flags[flag];
  const frac = f.targeting?.fractional as [unknown, ...[string, number][]] | undefined;
  return { state: f.state, on: frac ? (frac.slice(1) as [string, number][]).find(([v]) => v === 'on')![1] : null };
}

describe('lifecycle stages on the demo workspace (flagd file + simulated service)', () => {
  it('lists every flag by stage; the demo stale flag with its reason, the plan flag rolling out', async () => {
    const { call } = demoCore();
    const { rows } = await call('lifecycle:list', {});
    const by = Object.fromEntries(rows.map((r) => [r.flagKey, r]));
    expect(rows[0].flagKey).toBe('onboarding-v2'); // stale sorts first
    expect(by['onboarding-v2']).toMatchObject({
      stage: 'stale',
      doneAs: 'released',
      sinceBasis: 'exact',
      owner: 'erin (demo)',
      staleDays: 30,
    });
    expect(by['onboarding-v2'].staleReason).toMatch(
      /^released to everyone and unchanged for 45 days; the threshold is 30 days$/,
    );
    expect(by['checkout-v2'].stage).toBe('rolling-out');
    expect(by['search-ranker']).toMatchObject({ stage: 'rolling-out', planRunning: true });
    expect(by['dark-mode']).toMatchObject({ stage: 'released', staleReason: null });
    expect(by['dark-mode'].lastEvaluatedAt).not.toBeNull(); // its watch's request rate shows it evaluated
  });

  it('uses the injected clock: 40 days on, the flag released today is stale too; a longer threshold clears both', async () => {
    const first = demoCore();
    await first.call('lifecycle:list', {});
    first.core.close();
    const later = demoCore({ dataDir: first.dataDir, now: () => Date.now() + 40 * DAY });
    const { rows } = await later.call('lifecycle:list', {});
    expect(rows.find((r) => r.flagKey === 'dark-mode')).toMatchObject({ stage: 'stale', doneAs: 'released' });
    const { rows: lenient } = await later.call('lifecycle:list', { staleDays: 120 });
    expect(lenient.filter((r) => r.stage === 'stale')).toEqual([]);
    await later.call('lifecycle:saveSettings', { staleDays: { byConnection: { 'demo-flags': 90 } } });
    expect((await later.call('lifecycle:list', {})).rows.find((r) => r.flagKey === 'onboarding-v2')).toMatchObject({
      stage: 'released',
      staleDays: 90,
    });
  });

  it("shows the stale flag's references in the bundled example sources, registered by the demo", async () => {
    const { call } = demoCore();
    const settings = await call('lifecycle:settings', {});
    expect(settings.codeRoots).toEqual([join(__dirname, '..', '..', 'resources', 'demo', 'example-src')]);
    expect(settings.reminder.enabled).toBe(false);
    const res = await call('lifecycle:refs', { flagKeys: ['onboarding-v2'] }, 'http');
    expect(res.flags[0].refs.map((r) => `${r.file}:${r.line}`).sort()).toEqual([
      'src/onboarding/onboarding.ts:7',
      'src/onboarding/welcome-email.ts:4',
    ]);
    // The page may search only configured folders; the CLI names its own.
    await expect(
      call('lifecycle:refs', { flagKeys: ['onboarding-v2'], roots: ['/etc'] }, 'http'),
    ).rejects.toMatchObject({ code: 'bad_request' });
    // No folder at all is a refusal the view offers a fix for: it says so in its facts, not only in words.
    await call('lifecycle:saveSettings', { codeRoots: [] }, 'http');
    await expect(call('lifecycle:refs', { flagKeys: ['onboarding-v2'] }, 'http')).rejects.toMatchObject({
      code: 'bad_request',
      details: { refusal: 'no_source_folder' },
    });
  });
});

describe('version history and restore on a flagd file', () => {
  it('lists the versions and restores one through the rollout service: file changed, read back, audited', async () => {
    const { call, dataDir } = demoCore();
    const { versions, live } = await call('lifecycle:versions', {
      connectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
    });
    expect(live).toMatchObject({ enabled: true, exposure: 25 });
    expect(versions.at(-1)).toMatchObject({ current: true, state: { exposure: 25 } });
    const five = versions.filter((v) => v.state.enabled === true && v.state.exposure === 5 && v.restorable.ok).at(-1)!;
    expect(five.diff.length).toBeGreaterThan(0);
    expect(five.actor).toMatch(/\(demo\)$/);
    const res = await call(
      'lifecycle:restore',
      {
        connectionId: 'demo-flags',
        flagKey: 'checkout-v2',
        env: 'production',
        version: five.version,
        expected: { enabled: true, exposure: 25 },
        comment: 'back to 5 % while we look at p99',
      },
      'http',
    );
    expect(res.readBack).toEqual({ enabled: true, exposure: 5 });
    expect(fileShare(dataDir, 'checkout-v2')).toEqual({ state: 'ENABLED', on: 5 });
    const [entry] = await call('audit:list', { limit: 1, flagKey: 'checkout-v2' });
    expect(entry).toMatchObject({
      action: 'restore',
      result: 'done',
      door: 'http',
      user: 'tester',
      comment: 'back to 5 % while we look at p99',
      to: { exposure: 5 },
    });
    expect(entry.detail).toMatchObject({ version: five.version, readBack: { enabled: true, exposure: 5 } });
    const after = await call('lifecycle:versions', {
      connectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
    });
    expect(after.versions.at(-1)).toMatchObject({
      current: true,
      state: { exposure: 5 },
      audit: { action: 'restore', door: 'http' },
    });
  });

  it('refuses what it cannot or must not do, writing nothing: the live state, a moved flag, an unknown version', async () => {
    const { call, dataDir } = demoCore();
    const { versions } = await call('lifecycle:versions', {
      connectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
    });
    const live = versions.at(-1)!;
    await expect(
      call('lifecycle:restore', {
        connectionId: 'demo-flags',
        flagKey: 'checkout-v2',
        env: 'production',
        version: live.version,
        comment: 'no-op',
      }),
    ).rejects.toMatchObject({ code: 'blocked', message: expect.stringContaining('this is the live state') });
    expect((await call('audit:list', { limit: 1, flagKey: 'checkout-v2' }))[0]).toMatchObject({
      action: 'restore',
      result: 'refused',
    });
    const older = versions.find((v) => v.restorable.ok)!;
    await expect(
      call('lifecycle:restore', {
        connectionId: 'demo-flags',
        flagKey: 'checkout-v2',
        env: 'production',
        version: older.version,
        expected: { enabled: true, exposure: 50 },
        comment: 'I saw 50 %',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      call('lifecycle:restore', {
        connectionId: 'demo-flags',
        flagKey: 'checkout-v2',
        env: 'production',
        version: 999,
        comment: 'what?',
      }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(fileShare(dataDir, 'checkout-v2')).toEqual({ state: 'ENABLED', on: 25 });
  });
});
