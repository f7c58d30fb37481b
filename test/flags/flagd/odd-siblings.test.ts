import { readFileSync } from 'node:fs';
import { FlagdCore } from '@openfeature/flagd-core';
import { afterEach, describe, expect, it } from 'vitest';
import { valueSpan } from '../../../main/flags/flagd/json-spans';
import { storeFor, tempFlagFile, type TempFlagFile } from './fixtures';
import { evaluateFile, KEYS, treatmentServed } from './support/flagd-eval';

/**
 * Issue 9 / tester finding F1: one flag of a shape flagd-core 4.x serves but flagd's schema does not allow must
 * never stop Rampart from reading, ramping or rolling back the other flags of the file; the odd flag itself is
 * listed with its problem and rolled back by `state: DISABLED`. Judged by flagd-core loading the file from disk
 * and evaluating 10,000 keys (support/flagd-eval.ts); bytes Rampart did not mean to touch are compared as text.
 */

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

const good = {
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'off',
  targeting: {
    fractional: [
      ['on', 30],
      ['off', 70],
    ],
  },
};
const base = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };

/** The 7 shapes: an odd sibling flag `other`, or (top-level metadata) an odd file field. */
const SHAPES: Array<{
  name: string;
  other?: Record<string, unknown>;
  top?: Record<string, unknown>;
  /** Read as flagd-core reads it (no targeting): rolled back by serving the control, nothing to turn off. */
  healthy?: true;
}> = [
  { name: 'targeting: "on"', other: { ...base, targeting: 'on' } },
  { name: 'targeting: null', other: { ...base, targeting: null }, healthy: true },
  { name: 'targeting: []', other: { ...base, targeting: [] } },
  { name: 'nested flag metadata', other: { ...base, metadata: { team: { a: 1 } } } },
  { name: 'mixed-type variants', other: { ...base, variants: { on: true, off: 'no' } } },
  { name: 'a null variant value', other: { ...base, variants: { on: true, off: null } } },
  { name: 'nested top-level metadata', top: { metadata: { a: { b: 1 } } } },
];

/** A pretty file whose odd parts are written in their own, unusual spacing: a rewrite must keep those bytes. */
function fileText(s: (typeof SHAPES)[number]): string {
  const odd = (v: unknown) => JSON.stringify(v).replace(/,/g, ' ,   ').replace(/:/g, ' :');
  const top = s.top ? `  "metadata":   ${odd(s.top.metadata)},\n` : '';
  const goodText = JSON.stringify(good, null, 2).replace(/\n/g, '\n    ');
  const other = s.other ? `,\n    "other":   ${odd(s.other)}` : '';
  return `{\n${top}  "flags": {\n    "good": ${goodText}${other}\n  }\n}\n`;
}

const read = (file: string) => readFileSync(file, 'utf8');
const slice = (text: string, path: string[]) => {
  const span = valueSpan(text, path);
  return span ? text.slice(span.start, span.end) : null;
};
const untouched = (text: string) => [slice(text, ['flags', 'other']), slice(text, ['metadata'])];

function flagdCoreServesNoTreatment(file: string, flagKey: string): void {
  const served = evaluateFile(file, flagKey);
  expect(served.variants.length).toBeGreaterThanOrEqual(KEYS.length);
  expect(treatmentServed(served, 'off')).toBe(0);
}

describe('flagd: an odd flag never blocks its siblings (7 shapes flagd-core accepts)', () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      tmp = tempFlagFile(fileText(shape));
      new FlagdCore().setConfigurations(read(tmp.file)); // the premise: flagd-core serves this file
      const store = storeFor(tmp.file);
      const before = untouched(read(tmp.file));

      // Reading: the healthy flag as usual; the odd one listed, with its problem or its state.
      const listed = await store.listFlags();
      expect(listed.find((f) => f.key === 'good')?.envs.production.exposure).toBe(30);
      if (shape.other) {
        const other = await store.getFlag('other');
        expect(other.envs.production.enabled).toBe(true);
        expect(other.envs.production.targeting ?? '').not.toBe('');
      }

      // Ramp and roll back the healthy sibling: the odd bytes stay as they were, flagd-core serves no treatment.
      await store.setExposure('good', 'production', 50, { comment: 'ramp', expected: 30 });
      expect((await store.getFlag('good')).envs.production.exposure).toBe(50);
      expect(untouched(read(tmp.file))).toEqual(before);
      const report = await store.rollback('good', 'production', { comment: 'kill', live: null });
      expect(report.note).toMatch(/flagd serves "off" to every unit/);
      expect(untouched(read(tmp.file))).toEqual(before);
      expect(await store.treatmentReach('good', 'production')).toMatchObject({ state: 'none' });
      flagdCoreServesNoTreatment(tmp.file, 'good');

      if (!shape.other) return;
      // Roll back the odd flag itself: `state` alone changes; flagd-core serves the code default to everyone.
      const goodBytes = slice(read(tmp.file), ['flags', 'good']);
      const odd = await store.rollback('other', 'production', { comment: 'kill', live: null });
      const after = read(tmp.file);
      expect(slice(after, ['flags', 'good'])).toBe(goodBytes);
      const reach = await store.treatmentReach('other', 'production');
      expect(reach, reach.detail).toMatchObject({ state: 'none' });
      const served = evaluateFile(tmp.file, 'other');
      if (shape.healthy) {
        expect(odd.note).toMatch(/flagd serves "off" to every unit/);
        expect(slice(after, ['flags', 'other'])).toBe(before[0]);
        expect(treatmentServed(served, 'off')).toBe(0);
      } else {
        expect(odd.note).toMatch(/turned the flag OFF \(state DISABLED\).*CODE DEFAULT/);
        expect(slice(after, ['flags', 'other'])).toBe(before[0]!.replace('"ENABLED"', '"DISABLED"'));
        expect(served.disabled).toBe(true);
        expect(served.variants.every((v) => v === '(disabled)')).toBe(true);
      }
      flagdCoreServesNoTreatment(tmp.file, 'good');
    });
  }

  it('refuses to ramp or switch on the odd flag, naming its problem, and writes nothing', async () => {
    tmp = tempFlagFile(fileText(SHAPES[0]));
    const store = storeFor(tmp.file);
    const text = read(tmp.file);
    await expect(store.setExposure('other', 'production', 10, { comment: 'r', expected: null })).rejects.toThrow(
      /flag "other" cannot be ramped by Rampart: invalid at \$\.flags\.other\.targeting.*a rollback still works/,
    );
    await store.setEnabled('other', 'production', false, { comment: 'off' });
    await expect(store.setEnabled('other', 'production', true, { comment: 'on' })).rejects.toThrow(
      /cannot be switched on/,
    );
    expect(read(tmp.file)).toBe(text.replace('"ENABLED" ,', '"DISABLED" ,'));
  });
});
