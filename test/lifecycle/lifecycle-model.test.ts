import { describe, expect, it } from 'vitest';
import type { LifecycleRow } from '../../shared/domain/lifecycle';
import {
  ageText,
  groupByStage,
  stageCounts,
  versionStateText,
} from '../../renderer/src/views/lifecycle/lifecycle-model';

const NOW = Date.UTC(2026, 2, 14);
const DAY = 86_400_000;
const row = (o: Partial<LifecycleRow>): LifecycleRow => ({
  connectionId: 'c',
  connectionName: 'C',
  connectionKind: 'flagd',
  flagKey: 'f',
  name: 'f',
  env: 'production',
  stage: 'released',
  doneAs: null,
  state: { enabled: true, exposure: 100 },
  since: NOW - DAY,
  sinceBasis: 'exact',
  lastChange: null,
  owner: null,
  lastActor: null,
  createdAt: null,
  staleReason: null,
  staleDays: 30,
  planRunning: false,
  lastEvaluatedAt: null,
  ...o,
});

describe('the Lifecycle view model', () => {
  it('groups by stage in the view order, leaving empty stages out', () => {
    const groups = groupByStage([
      row({ flagKey: 'a', stage: 'rolling-out' }),
      row({ flagKey: 'b', stage: 'stale' }),
      row({ flagKey: 'c', stage: 'rolling-out' }),
    ]);
    expect(groups.map((g) => [g.stage, g.rows.map((r) => r.flagKey)])).toEqual([
      ['stale', ['b']],
      ['rolling-out', ['a', 'c']],
    ]);
    expect(stageCounts(groups.flatMap((g) => g.rows))).toEqual({ stale: 1, 'rolling-out': 2 });
  });

  it('says how long, marking a lower bound and a first sighting', () => {
    expect(ageText(row({ since: NOW - 45 * DAY }), NOW)).toBe('45 d');
    expect(ageText(row({ since: NOW - 3 * DAY, sinceBasis: 'at-least' }), NOW)).toBe('≥ 3 d');
    expect(ageText(row({ since: NOW - 5_000, sinceBasis: 'at-least' }), NOW)).toBe('just seen');
    expect(ageText(row({ stage: 'created', createdAt: NOW - 2 * DAY, since: null }), NOW)).toBe('2 d');
    expect(ageText(row({ since: null }), NOW)).toBe('—');
  });

  it('shows an off version with the exposure it would serve when turned on, and unknowns as such', () => {
    expect(
      versionStateText({ enabled: false, exposure: 25, exposureKnown: true, targeting: null, targetingAsNow: true }),
    ).toBe('off · 25%');
    expect(
      versionStateText({ enabled: true, exposure: null, exposureKnown: false, targeting: null, targetingAsNow: true }),
    ).toBe('on · ?%');
    expect(
      versionStateText({ enabled: null, exposure: null, exposureKnown: false, targeting: null, targetingAsNow: false }),
    ).toBe('unknown');
  });
});
