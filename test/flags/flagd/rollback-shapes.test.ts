import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { storeFor, tempFlagFile, type TempFlagFile } from './fixtures';
import { evaluateFile, treatmentServed } from './support/flagd-eval';
import { bool, byKey, fileWith, isStaff, on, SHAPES } from './support/shapes';

/**
 * The kill switch on every targeting shape flagd can express (issue 9: "a flagd rollback on a file whose targeting
 * has two fractional rules … still serves the treatment to ~20 % of users"). Each case is rolled back through the
 * adapter, then the file on disk is judged by flagd-core on 10,000 keys plus probes that hit each rule: 0 units get
 * a non-control variant, or the flag is DISABLED. The read-back proof must then say `none`, and nothing outside
 * the flag (other flags, shared $evaluators) may change.
 */

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

const shape = (prefix: string) => SHAPES.find((s) => s.name.startsWith(prefix))!.def;
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof fileWith>;

describe('flagd rollback: every targeting shape ends at 0 % treatment or turned off, judged by flagd-core', () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      tmp = tempFlagFile(fileWith(shape.def));
      const store = storeFor(tmp.file);
      const before = json(tmp.file);
      const report = await store.rollback('subject', 'production', { comment: 'kill', live: null }); // live null: never depends on a pre-read

      const after = json(tmp.file);
      const served = evaluateFile(tmp.file, 'subject');
      expect(served.errors).toBe(0);
      if (shape.expect === 'disabled') {
        expect(after.flags.subject.state).toBe('DISABLED');
        expect(served.disabled).toBe(true);
        expect(report.note).toMatch(/CODE DEFAULT/);
      } else {
        expect(after.flags.subject.state).toBe('ENABLED');
        expect(treatmentServed(served, shape.control)).toBe(0);
        expect(served.variants).toContain(shape.control);
      }
      // Nothing else moved: the other flag and the shared evaluators are byte-for-byte what they were.
      expect(after.flags.bystander).toEqual(before.flags.bystander);
      expect(after.$evaluators).toEqual(before.$evaluators);
      expect((await store.getFlag('subject')).envs.production.enabled).toBe(shape.expect === 'zeroed');
      const reach = await store.treatmentReach('subject', 'production');
      expect(reach, reach.detail).toMatchObject({ state: 'none' });
    });
  }
});

describe('flagd rollback: writes and reports', () => {
  it('is idempotent: a second rollback finds nothing to change and leaves the file as it is', async () => {
    tmp = tempFlagFile(fileWith(shape('two fractional rules')));
    const store = storeFor(tmp.file);
    const first = await store.rollback('subject', 'production', { comment: 'kill', live: null });
    expect(first.note).toMatch(/set the treatment weight to 0 in 2 fractional rules; flagd serves "off" to every unit/);
    const written = readFileSync(tmp.file, 'utf8');
    await store.rollback('subject', 'production', { comment: 'again', live: null });
    expect(readFileSync(tmp.file, 'utf8')).toBe(written);
  });

  it('says why it turned a flag off, naming the rule that still serves the treatment', async () => {
    tmp = tempFlagFile(fileWith(shape('an if-branch')));
    const report = await storeFor(tmp.file).rollback('subject', 'production', { comment: 'kill', live: null });
    expect(report.note).toMatch(
      /set the treatment weight to 0 in 1 fractional rule and turned the flag OFF \(state DISABLED\)/,
    );
    expect(report.note).toMatch(/targeting\.if\[1\] serves "on"/);
    expect(json(tmp.file).flags.subject.targeting).toEqual({
      if: [isStaff, 'on', { fractional: [byKey, ['on', 0], ['off', 100]] }],
    });
  });

  it('reports an edit of the flag made after the pre-read, and still rolls back the current definition', async () => {
    tmp = tempFlagFile(fileWith(shape('one fractional rule')));
    const store = storeFor(tmp.file);
    const live = (await store.getFlag('subject')).envs.production;
    const edited = fileWith(on(bool, 'off', { fractional: [byKey, ['on', 60], ['off', 40]] }));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(tmp.file, JSON.stringify(edited)); // someone ramped to 60 % meanwhile
    const report = await store.rollback('subject', 'production', { comment: 'kill', live });
    expect(report.concurrentEdit?.summary).toMatch(/was edited .* after Rampart read it \(now on, 60%/);
    expect(treatmentServed(evaluateFile(tmp.file, 'subject'), 'off')).toBe(0);
  });

  it('does not report a concurrent edit when only another flag of the file changed', async () => {
    tmp = tempFlagFile(fileWith(shape('one fractional rule')));
    const store = storeFor(tmp.file);
    const live = (await store.getFlag('subject')).envs.production;
    await store.setExposure('bystander', 'production', 10, { comment: 'other ramp', expected: 40 });
    const report = await store.rollback('subject', 'production', { comment: 'kill', live });
    expect(report.concurrentEdit).toBeUndefined();
    expect((await store.getFlag('bystander')).envs.production.exposure).toBe(10); // the other edit is kept
  });
});
