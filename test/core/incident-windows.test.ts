/**
 * The incident timeline finds the cause (issue 11): on the demo workspace, checkout-v2's 5% → 25% step is where
 * checkout's p99 regressed, whatever window the responder picks — 1 h, 6 h or 24 h, ending at several times of the
 * demo's day — and at three times of day the demo was installed (the simulated traffic follows the UTC clock, so
 * each install puts the step at another load). The step ranks first among the suspects with per-variant evidence;
 * nothing later than the tolerance after the onset is a suspect; the healthy services have no onset.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import type { FlagChange } from '../../shared/domain/flags';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ROOT = join(__dirname, '..', '..');

/** Installs the demo with the clock fixed at `now`: the simulated traffic is a function of time, so this is repeatable. */
function demoCore(now: number): { core: Core; dir: string; now: number } {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-incident-'));
  const core = createCore({
    dataDir: dir,
    resourcesDir: join(ROOT, 'resources'),
    secrets: () => undefined,
    version: 'test',
    now: () => now,
  });
  return { core, dir, now };
}

// Three installs eight hours apart (the step then falls at night, in the morning ramp and at the afternoon peak).
const INSTALLS = [Date.UTC(2026, 0, 6, 3, 7, 13), Date.UTC(2026, 0, 6, 11, 7, 13), Date.UTC(2026, 0, 6, 19, 7, 13)];

describe.each(INSTALLS.map((t) => [new Date(t).toISOString(), t] as const))(
  'incident analysis on the demo installed at %s',
  (_name, installedAt) => {
    let core: Core;
    let dir: string;
    let now: number;
    let step: FlagChange;

    beforeAll(() => {
      ({ core, dir, now } = demoCore(installedAt));
      const found = core.store.changes
        .list({ from: now - 2 * 24 * HOUR, to: now })
        .find((c) => c.flagKey === 'checkout-v2' && c.label === 'rollout 5% → 25%');
      if (!found)
        throw new Error('the demo history has no checkout-v2 rollout 5% → 25% (resources/demo/history.json changed?)');
      step = found;
    });
    afterAll(() => {
      core?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const watch = () => {
      const w = core.store.records.watches.get('demo-checkout-v2');
      if (!w) throw new Error('the demo has no demo-checkout-v2 watch');
      return w;
    };

    // Windows: [length, minutes after the step at which the window ends]; the last 6 h and 24 h ones end at "now".
    const windows: [string, number | 'now', number][] = [
      ['1 h', 25, HOUR],
      ['1 h', 35, HOUR],
      ['1 h', 45, HOUR],
      ['6 h', 30, 6 * HOUR],
      ['6 h', 150, 6 * HOUR],
      ['6 h', 'now', 6 * HOUR],
      ['24 h', 90, 24 * HOUR],
      ['24 h', 'now', 24 * HOUR],
    ];
    it.each(windows)(
      'a %s window ending at step + %s min finds the step and ranks it first',
      async (_label, end, length) => {
        const to = end === 'now' ? now : step.at + end * MIN;
        const got = await core.incident.analyze(watch(), { metric: 'p99', from: to - length, to });
        expect(got.onset, got.method).not.toBeNull();
        const onset = got.onset!;
        // A change point on noisy per-minute p99 lands within minutes of the ramp, on either side.
        expect(Math.abs(onset.at - step.at)).toBeLessThanOrEqual(15 * MIN);
        expect(onset.shift).toBeGreaterThan(0.05);
        expect(got.suspects[0]?.changeId, JSON.stringify(got.suspects.map((s) => s.label))).toBe(step.id);
        expect(got.suspects[0].evidence?.verdict).toBe('implicates');
        for (const s of got.suspects)
          expect(s.at - onset.at, `${s.label} is a suspect`).toBeLessThanOrEqual(got.toleranceMs);
      },
    );

    it.each([1, 6, 24])('finds no onset on the healthy services over %i h', async (hours) => {
      for (const id of ['demo-search-ranker', 'demo-dark-mode']) {
        const w = core.store.records.watches.get(id);
        if (!w) throw new Error(`the demo has no ${id} watch`);
        const got = await core.incident.analyze(w, { metric: 'p99', from: now - hours * HOUR, to: now });
        expect(got.onset, `${id} over ${hours} h`).toBeNull();
        expect(got.suspects).toEqual([]);
      }
    });

    it('scans every watch: checkout regressed at the step; search and web did not', async () => {
      const got = await core.incident.scan({ from: now - 24 * HOUR, to: now });
      expect(got.errors).toEqual([]);
      expect(got.regressions.length).toBeGreaterThan(0);
      expect(got.regressions[0].watchId).toBe('demo-checkout-v2');
      expect(new Set(got.regressions.map((r) => r.watchId))).toEqual(new Set(['demo-checkout-v2']));
      const p99 = got.regressions.find((r) => r.metric === 'p99');
      expect(Math.abs((p99?.at ?? 0) - step.at)).toBeLessThanOrEqual(15 * MIN);
    });
  },
);
