import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFlagdStore, type FlagdStoreOptions } from '../../../main/flags/flagd';

/** A flagd file exercising what the adapter must read and keep: $evaluators, metadata, unknown fields, if-chains. */
export const SAMPLE = {
  $schema: 'https://flagd.dev/schema/v0/flags.json',
  metadata: { flagSetId: 'shop', version: 3 },
  'x-custom-top': { keep: ['me', 1] },
  $evaluators: {
    isStaff: { ends_with: [{ var: 'email' }, '@example.com'] },
    sharedSplit: {
      fractional: [
        ['on', 10],
        ['off', 90],
      ],
    },
  },
  flags: {
    'new-checkout': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        fractional: [{ cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] }, ['on', 25], ['off', 75]],
      },
      metadata: { owner: 'team-a', service: 'checkout' },
      'x-unknown': 42,
    },
    'relative-weights': {
      state: 'ENABLED',
      variants: { off: false, on: true },
      defaultVariant: 'off',
      targeting: {
        fractional: [
          ['off', 3],
          ['on', 1],
        ],
      },
    },
    'staff-then-split': {
      state: 'DISABLED',
      variants: { 'ml-v2': 'ml-v2', classic: 'classic' },
      defaultVariant: 'classic',
      targeting: {
        if: [{ $ref: 'isStaff' }, 'ml-v2', { fractional: [{ var: 'email' }, ['ml-v2', 40], ['classic', 60]] }],
      },
    },
    'three-way': {
      state: 'ENABLED',
      variants: { red: '#f00', green: '#0f0', blue: '#00f' },
      defaultVariant: 'blue',
      targeting: {
        fractional: [
          ['red', 10],
          ['green', 10],
          ['blue', 80],
        ],
      },
    },
    'static-on': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    'static-off': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: {} },
    'staff-only': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ $ref: 'isStaff' }, 'on', null] },
    },
    'via-evaluator': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { $ref: 'sharedSplit' },
    },
    'time-ramp': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        fractional: [
          ['on', { '-': [{ var: '$flagd.timestamp' }, 1700000000] }],
          ['off', 100],
        ],
      },
    },
  },
};

export interface TempFlagFile {
  dir: string;
  file: string;
  cleanup(): void;
}

export function tempFlagFile(content: unknown = SAMPLE, name = 'flags.json'): TempFlagFile {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-flagd-'));
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function storeFor(file: string, extra: Partial<FlagdStoreOptions> = {}) {
  return createFlagdStore({
    connection: { id: 'flags-test', kind: 'flagd', name: 'Test flags', file, environment: 'production' },
    ...extra,
  });
}

/** Resolves with the RampartError a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; details?: unknown };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
