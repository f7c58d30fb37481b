import { afterEach, describe, expect, it } from 'vitest';
import { rejection, storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

describe('flagd adapter: reading a flag file', () => {
  it('lists every flag with its state in the one environment of the file', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    expect(await store.environments()).toEqual([{ key: 'production', name: 'production' }]);
    const flags = await store.listFlags();
    expect(flags.map((f) => f.key)).toEqual([
      'new-checkout',
      'relative-weights',
      'staff-then-split',
      'three-way',
      'static-on',
      'static-off',
      'staff-only',
      'via-evaluator',
      'time-ramp',
    ]);
    const checkout = flags[0];
    expect(checkout.variants).toEqual(['on', 'off']);
    expect(checkout.envs.production).toMatchObject({ enabled: true, exposure: 25, treatment: 'on', control: 'off' });
    expect(checkout.envs.production.targeting).toBe('fractional on 25% / off 75%');
  });

  it('reads exposure as the weight off the control variant, as a share of the total weight', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    const env = async (key: string) => (await store.getFlag(key)).envs.production;
    expect(await env('relative-weights')).toMatchObject({ exposure: 25, treatment: 'on', control: 'off' }); // [off 3, on 1]
    expect(await env('staff-then-split')).toMatchObject({
      enabled: false,
      exposure: 40,
      treatment: 'ml-v2',
      control: 'classic',
    });
    expect(await env('three-way')).toMatchObject({ exposure: 20, treatment: 'red', control: 'blue' }); // not on the default
    expect(await env('static-on')).toMatchObject({ exposure: 100, treatment: 'on' }); // no fractional, serves the treatment
    expect(await env('static-off')).toMatchObject({ exposure: 0 });
    expect(await env('staff-only')).toMatchObject({ exposure: 0 }); // rules aside, everyone else gets the default
    expect(await env('via-evaluator')).toMatchObject({ exposure: 10 }); // fractional in a shared $evaluators entry
    expect(await env('time-ramp')).toMatchObject({ exposure: null }); // computed weights cannot be read as a number
  });

  it('summarizes other targeting rules in a short text', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    expect((await store.getFlag('staff-then-split')).envs.production.targeting).toBe(
      'if $ref isStaff → ml-v2; else fractional ml-v2 40% / classic 60%',
    );
    expect((await store.getFlag('staff-only')).envs.production.targeting).toBe('if $ref isStaff → on; else default');
    expect((await store.getFlag('static-on')).envs.production.targeting).toBe('none (everyone → on)');
  });

  it('reads the daemon form where flags is an array of {key, …}', async () => {
    tmp = tempFlagFile({
      flags: [
        {
          key: 'a',
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: {
            fractional: [
              ['on', 5],
              ['off', 95],
            ],
          },
        },
      ],
    });
    const flags = await storeFor(tmp.file).listFlags();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: 'a', envs: { production: { exposure: 5 } } });
  });

  it('names unknown flags and environments, reports its capabilities, and has no history of its own', async () => {
    tmp = tempFlagFile();
    const store = storeFor(tmp.file);
    const missing = await rejection(store.getFlag('nope'));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain('"nope"');
    const wrongEnv = await rejection(store.setEnabled('new-checkout', 'staging', true, { comment: 'test' }));
    expect(wrongEnv.code).toBe('not_found');
    expect(wrongEnv.message).toMatch(/serves one environment, "production"; there is no environment "staging"/);
    expect(store.capabilities()).toEqual({
      exposureStep: 1,
      historyHasActors: false,
      writesHaveVersionCheck: true,
      canWatch: true,
    });
    expect(await store.history({ from: 0, to: Date.now() })).toEqual([]);
  });

  it('uses the environment named by the connection, "production" by default', async () => {
    tmp = tempFlagFile();
    const { createFlagdStore } = await import('../../../main/flags/flagd');
    const staging = createFlagdStore({
      connection: { id: 'f', kind: 'flagd', name: 'F', file: tmp.file, environment: 'staging' },
    });
    expect(Object.keys((await staging.getFlag('new-checkout')).envs)).toEqual(['staging']);
    const byDefault = createFlagdStore({ connection: { id: 'f', kind: 'flagd', name: 'F', file: tmp.file } });
    expect(await byDefault.environments()).toEqual([{ key: 'production', name: 'production' }]);
  });

  it('reports a missing file as not found', async () => {
    tmp = tempFlagFile();
    const err = await rejection(storeFor(`${tmp.dir}/absent.json`).listFlags());
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('absent.json');
  });
});

describe('flagd adapter: shapes whose exposure Rampart cannot read', () => {
  const bucketBy = { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] };
  const shapes: Array<[string, unknown]> = [
    [
      'two fractional rules',
      {
        if: [
          { var: 'beta' },
          {
            fractional: [
              ['on', 50],
              ['off', 50],
            ],
          },
          {
            fractional: [
              ['on', 5],
              ['off', 95],
            ],
          },
        ],
      },
    ],
    [
      'a fractional rule inside a condition',
      {
        if: [
          {
            '==': [
              {
                fractional: [
                  ['a', 1],
                  ['b', 1],
                ],
              },
              'a',
            ],
          },
          'on',
          'off',
        ],
      },
    ],
    ['non-integer weights', { fractional: [bucketBy, ['on', 12.5], ['off', 87.5]] }],
    [
      'a computed variant name',
      {
        fractional: [
          [{ cat: ['o', 'n'] }, 50],
          ['off', 50],
        ],
      },
    ],
    ['a variant taken from the context', { var: 'variant' }],
    ['buckets taken from the context', { fractional: { var: 'buckets' } }],
    [
      'zero-sum weights',
      {
        fractional: [
          ['on', 0],
          ['off', 0],
        ],
      },
    ],
  ];
  for (const [name, targeting] of shapes) {
    it(`reports exposure null (unknown, never 0) for ${name}`, async () => {
      tmp = tempFlagFile({
        flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting } },
      });
      const env = (await storeFor(tmp.file).getFlag('f')).envs.production;
      expect(env.exposure).toBeNull();
      expect(env.version).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{32}$/);
    });
  }
});
