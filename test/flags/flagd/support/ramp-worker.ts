/**
 * One "browser host" of the two-process race (test/flags/flagd/two-process-race.test.ts): its own flagd adapter on
 * the shared file, ramping ITS flag through 100 values once the parent writes "go" on stdin. Prints one line per
 * outcome: `W <value>` for a write the adapter confirmed, `E <code> <message>` for a refusal.
 */
import { createFlagdStore } from '../../../../main/flags/flagd';

const [file, flagKey, countText] = process.argv.slice(2);
const count = Number(countText);
const store = createFlagdStore({
  connection: { id: `race-${flagKey}`, kind: 'flagd', name: 'race', file, environment: 'production' },
});

async function main(): Promise<void> {
  let expected = (await store.getFlag(flagKey)).envs.production.exposure;
  for (let i = 1; i <= count; i++) {
    const value = (i % 99) + 1; // always differs from the previous value, so every write changes the file
    try {
      await store.setExposure(flagKey, 'production', value, { comment: `race ${i}`, expected });
      expected = value;
      process.stdout.write(`W ${value}\n`);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      process.stdout.write(`E ${err.code} ${err.message}\n`);
      expected = (await store.getFlag(flagKey)).envs.production.exposure;
    }
  }
}

process.stdin.once('data', () => {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${(e as Error).stack}\n`);
      process.exit(1);
    },
  );
});
