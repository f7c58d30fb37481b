import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection, SAMPLE, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

const comment = { comment: 'test ramp' };
type Sample = Record<string, unknown> & { flags: Record<string, Record<string, unknown>> };
const sample = (): Sample => structuredClone(SAMPLE) as unknown as Sample;
const text = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Sample;
const bucketBy = { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] };

describe('flagd adapter: ramping rewrites only the fractional weights', () => {
  it('changes the two weights and leaves every other byte of the file as it was', async () => {
    tmp = tempFlagFile();
    await storeFor(tmp.file).setExposure('new-checkout', 'production', 50, { ...comment, expected: 25 });
    const expected = sample();
    expected.flags['new-checkout'].targeting = { fractional: [bucketBy, ['on', 50], ['off', 50]] };
    // Same keys, same order, same indentation, same trailing newline: only the weights differ.
    expect(readFileSync(tmp.file, 'utf8')).toBe(text(expected));
  });

  it('keeps the order of an existing rule (treatment last stays last, which is monotonic too) and normalizes to 100', async () => {
    tmp = tempFlagFile();
    await storeFor(tmp.file).setExposure('relative-weights', 'production', 40, { ...comment, expected: 25 });
    expect(readJson(tmp.file).flags['relative-weights'].targeting).toEqual({
      fractional: [
        ['off', 60],
        ['on', 40],
      ],
    });
  });

  it('keeps the bucketing expression and the rules around a nested fractional', async () => {
    tmp = tempFlagFile();
    await storeFor(tmp.file).setExposure('staff-then-split', 'production', 60, { ...comment, expected: 40 });
    expect(readJson(tmp.file).flags['staff-then-split'].targeting).toEqual({
      if: [{ $ref: 'isStaff' }, 'ml-v2', { fractional: [{ var: 'email' }, ['ml-v2', 60], ['classic', 40]] }],
    });
  });

  it('with three variants moves the share off the default proportionally', async () => {
    tmp = tempFlagFile();
    await storeFor(tmp.file).setExposure('three-way', 'production', 40, { ...comment, expected: 20 });
    expect(readJson(tmp.file).flags['three-way'].targeting).toEqual({
      fractional: [
        ['red', 20],
        ['green', 20],
        ['blue', 60],
      ],
    });
  });

  it('adds a fractional rule, treatment first, bucketing on flagKey + targetingKey, where there was none', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    await store.setExposure('static-off', 'production', 5, { ...comment, expected: null });
    expect(readJson(tmp.file).flags['static-off'].targeting).toEqual({
      fractional: [bucketBy, ['on', 5], ['off', 95]],
    });
    expect((await store.getFlag('static-off')).envs.production.exposure).toBe(5);

    await store.setExposure('static-on', 'production', 50, { ...comment, expected: 100 });
    expect(readJson(tmp.file).flags['static-on'].targeting).toEqual({
      fractional: [bucketBy, ['on', 50], ['off', 50]],
    });
  });

  it('adds the split as the final else of an if-chain that fell through to the default', async () => {
    tmp = tempFlagFile();
    await storeFor(tmp.file).setExposure('staff-only', 'production', 10, { ...comment, expected: 0 });
    expect(readJson(tmp.file).flags['staff-only'].targeting).toEqual({
      if: [{ $ref: 'isStaff' }, 'on', { fractional: [bucketBy, ['on', 10], ['off', 90]] }],
    });
  });

  it('puts an exposure between whole percents on the grid of whole weights (range is the rollout service’s)', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    await store.setExposure('new-checkout', 'production', 12.4, { ...comment, expected: 25 });
    expect((await store.getFlag('new-checkout')).envs.production.exposure).toBe(12);
  });

  it('refuses, writing nothing, to ramp computed weights or a rule shared through $evaluators', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    const before = readFileSync(tmp.file, 'utf8');
    const computed = await rejection(store.setExposure('time-ramp', 'production', 50, { ...comment, expected: null }));
    expect(computed.code).toBe('bad_request');
    expect(computed.message).toContain('computed');
    const shared = await rejection(store.setExposure('via-evaluator', 'production', 50, { ...comment, expected: 10 }));
    expect(shared.code).toBe('bad_request');
    expect(shared.message).toContain('$evaluators entry "sharedSplit"');
    expect(readFileSync(tmp.file, 'utf8')).toBe(before);
  });

  it('turns a flag on and off by its state only', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    await store.setEnabled('new-checkout', 'production', false, comment);
    const expected = sample();
    expected.flags['new-checkout'].state = 'DISABLED';
    expect(readFileSync(tmp.file, 'utf8')).toBe(text(expected));
    expect((await store.getFlag('new-checkout')).envs.production.enabled).toBe(false);
    await store.setEnabled('new-checkout', 'production', true, comment);
    expect(readFileSync(tmp.file, 'utf8')).toBe(text(SAMPLE));
  });

  it('writes through a symlink into its target, keeping the link, and leaves no temp files', async () => {
    tmp = tempFlagFile();
    const real = path.join(tmp.dir, 'real');
    mkdirSync(real);
    const target = path.join(real, 'flags.json');
    const link = path.join(tmp.dir, 'current.json');
    const { renameSync } = await import('node:fs');
    renameSync(tmp.file, target);
    symlinkSync(target, link);
    const report = await storeFor(link).setExposure('new-checkout', 'production', 30, { ...comment, expected: 25 });
    expect(report?.note).toBe(`${link} is a symlink: Rampart wrote the file it points to, ${target}`);
    const rolledBack = await storeFor(link).rollback('new-checkout', 'production', { ...comment, live: null });
    expect(rolledBack.note).toContain(`${link} is a symlink: Rampart wrote the file it points to`);
    await storeFor(link).setExposure('new-checkout', 'production', 30, { ...comment, expected: 0 });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readJson(target).flags['new-checkout'].targeting).toEqual({
      fractional: [bucketBy, ['on', 30], ['off', 70]],
    });
    expect(readdirSync(real)).toEqual(['flags.json']);
    expect(readdirSync(tmp.dir).sort()).toEqual(['current.json', 'real']);
  });
});

describe('flagd adapter: read-compare-write', () => {
  it('refuses a ramp on a read that an edit of the file made stale, with the live state, writing nothing', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    const live = (await store.getFlag('new-checkout')).envs.production;
    const external = sample();
    external.flags['new-checkout'].targeting = { fractional: [bucketBy, ['on', 30], ['off', 70]] };
    const { writeFileSync } = await import('node:fs');
    writeFileSync(tmp.file, text(external)); // someone else ramped to 30 % after the read
    const err = await rejection(
      store.setExposure('new-checkout', 'production', 50, { ...comment, expected: 25, live }),
    );
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/"new-checkout" was edited since it was read \(now on, 30%.*\); nothing was written/);
    expect(err.details).toMatchObject({ live: { enabled: true, exposure: 30 } });
    expect(readFileSync(tmp.file, 'utf8')).toBe(text(external));
  });

  it('runs two ramps from the same starting point one after the other: the second sees the first and is refused', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    const live = (await store.getFlag('new-checkout')).envs.production;
    const [first, second] = await Promise.allSettled([
      store.setExposure('new-checkout', 'production', 50, { ...comment, expected: 25, live }),
      store.setExposure('new-checkout', 'production', 100, { ...comment, expected: 25, live }),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason.code).toBe('conflict');
    expect((await store.getFlag('new-checkout')).envs.production.exposure).toBe(50);
  });
});

describe('flagd adapter: the version handed out as EnvState.version', () => {
  it('refuses a ramp when the flag was edited since the live read, even at the same exposure, writing nothing', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    const live = (await store.getFlag('new-checkout')).envs.production;
    const external = sample();
    external.flags['new-checkout'].targeting = { fractional: [{ var: 'email' }, ['on', 25], ['off', 75]] }; // same 25 %, new bucketing
    const { writeFileSync } = await import('node:fs');
    writeFileSync(tmp.file, text(external));
    const err = await rejection(
      storeFor(tmp.file).setExposure('new-checkout', 'production', 50, { ...comment, expected: 25, live }),
    );
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/"new-checkout" was edited since it was read \(now on, 25%/);
    expect(readFileSync(tmp.file, 'utf8')).toBe(text(external));
  });

  it('goes ahead when only another flag of the file changed, keeping that edit', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    const live = (await store.getFlag('new-checkout')).envs.production;
    await store.setEnabled('three-way', 'production', false, comment); // another writer's edit of another flag
    await store.setExposure('new-checkout', 'production', 50, { ...comment, expected: 25, live });
    expect((await store.getFlag('new-checkout')).envs.production.exposure).toBe(50);
    expect((await store.getFlag('three-way')).envs.production.enabled).toBe(false);
  });

  it('refuses to ramp shapes it cannot rewrite by weights, naming why', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        {
          if: [
            {
              '==': [
                {
                  fractional: [
                    ['on', 1],
                    ['off', 1],
                  ],
                },
                'on',
              ],
            },
            'on',
            'off',
          ],
        },
        /inside a condition/,
      ],
      [
        {
          fractional: [
            [{ cat: ['o', 'n'] }, 50],
            ['off', 50],
          ],
        },
        /a variant of its fractional rule is computed/,
      ],
      [
        {
          fractional: [
            ['on', 12.5],
            ['off', 87.5],
          ],
        },
        /not all integers/,
      ],
    ];
    for (const [targeting, why] of cases) {
      tmp?.cleanup();
      tmp = tempFlagFile({
        flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting } },
      });
      const before = readFileSync(tmp.file, 'utf8');
      const err = await rejection(
        storeFor(tmp.file).setExposure('f', 'production', 50, { ...comment, expected: null }),
      );
      expect(err.code).toBe('bad_request');
      expect(err.message).toMatch(why);
      expect(readFileSync(tmp.file, 'utf8')).toBe(before);
    }
  });
});
