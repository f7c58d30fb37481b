import { describe, expect, it } from 'vitest';
import { mergeArmBuckets } from '../../main/core/decision-buckets';
import { HOUR, MIN, NOW, provider, sum, byVariant } from './fixtures';

const at25 = {
  'checkout-v2': [{ at: NOW - 6 * HOUR, enabled: true, exposure: 25 }],
  'search-ranker': [{ at: NOW - 6 * HOUR, enabled: true, exposure: 50 }],
};

describe('the demo answers instant queries over a window (buckets, counts, users)', () => {
  it("bucket counts come back cumulative per le (as increase() of _bucket does), ending at the window's request count", async () => {
    const p = provider(at25);
    const buckets = await p.instant!('buckets{service="checkout"}[1800s] by (feature_flag_result_variant)', NOW);
    const requests = await p.instant!('requests{service="checkout"}[1800s] by (feature_flag_result_variant)', NOW);
    for (const variant of ['on', 'off']) {
      const mine = buckets.filter((b) => b.labels.feature_flag_result_variant === variant);
      expect(mine.at(-1)?.labels.le).toBe('+Inf');
      for (let i = 1; i < mine.length; i++) expect(mine[i].value).toBeGreaterThanOrEqual(mine[i - 1].value);
      expect(mine.at(-1)?.value).toBe(requests.find((r) => r.labels.feature_flag_result_variant === variant)?.value);
    }
    // The same requests as the per-step series: the window's sum equals the sum of its steps.
    const perStep = await p.range(
      'requests{service="checkout"} by (feature_flag_result_variant)',
      NOW - 29 * MIN,
      NOW,
      MIN,
    );
    expect(sum(byVariant(perStep, 'on'))).toBe(
      requests.find((r) => r.labels.feature_flag_result_variant === 'on')?.value,
    );
  });

  it("checkout-v2's treatment has the heavier tail in its merged buckets; search-ranker's arms do not differ", async () => {
    const p = provider(at25);
    const quantile = async (service: string, t: string, c: string) => {
      const all = await p.instant!(`buckets{service="${service}"}[3600s] by (feature_flag_result_variant)`, NOW);
      const m = mergeArmBuckets(
        all.filter((s) => s.labels.feature_flag_result_variant === t),
        all.filter((s) => s.labels.feature_flag_result_variant === c),
        1,
      )!;
      const q99 = (counts: number[], total: number) => {
        let acc = 0;
        const i = counts.findIndex((x) => (acc += x) >= 0.99 * total);
        return m.canary.bounds[i] as number;
      };
      return q99(m.canary.counts, m.canary.total) / q99(m.baseline.counts, m.baseline.total);
    };
    expect(await quantile('checkout', 'on', 'off')).toBeGreaterThan(1.3);
    const same = await quantile('search', 'ml-v2', 'classic');
    expect(same).toBeGreaterThan(0.9);
    expect(same).toBeLessThan(1.1);
  });

  it('distinct users split by the configured share, and never exceed the pool', async () => {
    const p = provider(at25);
    const users = await p.instant!('users{service="search"}[600s] by (feature_flag_result_variant)', NOW);
    const [t, c] = ['ml-v2', 'classic'].map(
      (v) => users.find((u) => u.labels.feature_flag_result_variant === v)!.value,
    );
    expect(t + c).toBeLessThanOrEqual(100_000);
    expect(t / (t + c)).toBeGreaterThan(0.48);
    expect(t / (t + c)).toBeLessThan(0.52);
    const all = await p.instant!('users{service="search"}[600s]', NOW);
    expect(all).toHaveLength(1);
  });

  it("refuses a window it cannot tile, a range query's syntax, and a window of more than 11,000 steps", async () => {
    const p = provider(at25);
    await expect(p.instant!('p99{service="checkout"}[60s]', NOW)).rejects.toThrow(/"p99" has no window form/);
    await expect(p.instant!('buckets{service="checkout"}', NOW)).rejects.toThrow(/needs a window/);
    await expect(p.instant!('requests{service="checkout"}[86400001s]', NOW)).rejects.toThrow(/more than 11000/);
  });
});
