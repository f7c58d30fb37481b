/**
 * Targeting shapes for the kill-switch tests: every way flagd can serve a variant (docs/integrations.md §4.1–4.2),
 * as one flag `subject` in a file with a bystander flag and shared $evaluators.
 */

export const bool = { on: true, off: false };
export const byKey = { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] };
export const isStaff = { ends_with: [{ var: 'email' }, '@example.com'] };

export interface Shape {
  name: string;
  def: Record<string, unknown>;
  control: string;
  /** 'zeroed': stays on, serving the control; 'disabled': turned off (code default). */
  expect: 'zeroed' | 'disabled';
}

export const on = (variants: Record<string, unknown>, defaultVariant: string | null, targeting?: unknown) => ({
  state: 'ENABLED',
  variants,
  ...(defaultVariant === null ? {} : { defaultVariant }),
  ...(targeting === undefined ? {} : { targeting }),
});

export const SHAPES: Shape[] = [
  {
    name: 'one fractional rule',
    def: on(bool, 'off', { fractional: [byKey, ['on', 25], ['off', 75]] }),
    control: 'off',
    expect: 'zeroed',
  },
  {
    name: 'two fractional rules (staff 50 %, everyone else 20 %)',
    def: on(bool, 'off', {
      if: [isStaff, { fractional: [byKey, ['on', 50], ['off', 50]] }, { fractional: [byKey, ['on', 20], ['off', 80]] }],
    }),
    control: 'off',
    expect: 'zeroed',
  },
  {
    name: 'fractional in a shared $evaluators entry',
    def: on(bool, 'off', { $ref: 'sharedSplit' }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'computed (time-based) weights',
    def: on(bool, 'off', {
      fractional: [
        ['on', { '-': [{ var: '$flagd.timestamp' }, 1_700_000_000] }],
        ['off', 100],
      ],
    }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'zero-sum weights',
    def: on(bool, 'off', {
      fractional: [
        ['on', 0],
        ['off', 0],
      ],
    }),
    control: 'off',
    expect: 'zeroed',
  },
  {
    name: 'zero-sum weights with the treatment as default',
    def: on(bool, 'on', {
      fractional: [
        ['on', 0],
        ['off', 0],
      ],
    }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'non-integer weights',
    def: on(bool, 'off', {
      fractional: [
        ['on', 33.3],
        ['off', 66.7],
      ],
    }),
    control: 'off',
    expect: 'zeroed',
  },
  {
    name: 'three variants',
    def: on({ red: '#f00', green: '#0f0', blue: '#00f' }, 'blue', {
      fractional: [
        ['red', 10],
        ['green', 10],
        ['blue', 80],
      ],
    }),
    control: 'blue',
    expect: 'zeroed',
  },
  {
    name: 'an if-branch serving the treatment ("employees → on")',
    def: on(bool, 'off', { if: [isStaff, 'on', { fractional: [byKey, ['on', 10], ['off', 90]] }] }),
    control: 'off',
    expect: 'disabled',
  },
  { name: 'defaultVariant = treatment, no targeting', def: on(bool, 'on'), control: 'off', expect: 'disabled' },
  {
    name: 'defaultVariant = treatment behind a split',
    def: on(bool, 'on', { fractional: [byKey, ['on', 30], ['off', 70]] }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'string variants',
    def: on({ 'ml-v2': 'ml-v2', classic: 'classic' }, 'classic', {
      fractional: [byKey, ['ml-v2', 50], ['classic', 50]],
    }),
    control: 'classic',
    expect: 'zeroed',
  },
  {
    name: 'number variants',
    def: on({ big: 100, small: 10, none: 0 }, 'none', {
      fractional: [
        ['big', 5],
        ['small', 5],
        ['none', 90],
      ],
    }),
    control: 'none',
    expect: 'zeroed',
  },
  {
    name: 'object variants',
    def: on({ v2: { layout: 'grid' }, v1: { layout: 'list' } }, 'v1', {
      fractional: [
        ['v2', 40],
        ['v1', 60],
      ],
    }),
    control: 'v1',
    expect: 'zeroed',
  },
  {
    name: 'a rule without the control bucket',
    def: on(bool, 'off', { fractional: [byKey, ['on', 100]] }),
    control: 'off',
    expect: 'zeroed',
  },
  {
    name: 'no defaultVariant (code default when no rule decides)',
    def: on(bool, null, { fractional: [byKey, ['on', 50], ['off', 50]] }),
    control: 'off',
    expect: 'zeroed',
  },
  {
    name: 'bucketing on a variable (may be a list)',
    def: on(bool, 'off', { fractional: [{ var: 'email' }, ['on', 50], ['off', 50]] }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'a fractional rule inside a condition',
    def: on(bool, 'off', {
      if: [
        {
          '==': [
            {
              fractional: [
                ['a', 50],
                ['b', 50],
              ],
            },
            'a',
          ],
        },
        'on',
        'off',
      ],
    }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'a computed variant name',
    def: on(bool, 'off', {
      fractional: [
        [{ cat: ['o', 'n'] }, 50],
        ['off', 50],
      ],
    }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'a variant taken from the context',
    def: on(bool, 'off', { var: 'variant' }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'buckets taken from the context',
    def: on(bool, 'off', { fractional: { var: 'buckets' } }),
    control: 'off',
    expect: 'disabled',
  },
  {
    name: 'a boolean flag with only a true variant',
    def: on({ yes: true }, 'yes'),
    control: 'yes',
    expect: 'disabled',
  },
];

export function fileWith(def: Record<string, unknown>) {
  return {
    $evaluators: {
      sharedSplit: {
        fractional: [
          ['on', 10],
          ['off', 90],
        ],
      },
      isStaff,
    },
    flags: { subject: def, bystander: on(bool, 'off', { fractional: [byKey, ['on', 40], ['off', 60]] }) },
  };
}
