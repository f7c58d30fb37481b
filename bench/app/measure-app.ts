/**
 * `tsx bench/app/measure-app.ts [out.json]`: the app scenario alone (bench/app/scenario.ts) against the built CLI —
 * or another build with RAMPART_BENCH_CLI=/path/to/out/main/cli.js (how the figures before a change were taken) —
 * printed as JSON. `npm run bench` runs the same scenario and turns it into report rows (bench/app/app-figures.ts).
 */
import { writeFileSync } from 'node:fs';
import { runAppScenario } from './scenario';
import { benchCli } from './session';

const started = Date.now();
const log = (m: string): void =>
  console.error(`[app ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}`);
log(`measuring ${benchCli()}`);
runAppScenario(log, { liveSeconds: Number(process.env.RAMPART_BENCH_LIVE_S ?? 60) }).then(
  (run) => {
    const json = JSON.stringify(run, null, 2);
    if (process.argv[2]) writeFileSync(process.argv[2], `${json}\n`);
    else console.log(json);
    process.exit(0);
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
