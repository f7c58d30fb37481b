#!/usr/bin/env node
// Starts a throwaway Unleash (own PostgreSQL, free port, random admin token) and prints how to reach it, for
// screenshots of Rampart against Unleash or manual poking. Ctrl-C (SIGINT) or SIGTERM stops it and deletes its data.
//
//   npm ci --prefix test/components/unleash      # once
//   node test/components/unleash/start.mjs [--json]
//
// --json prints one line {"url","token","version","secondActor"} (for scripts) instead of the human summary.
import { register } from 'tsx/esm/api';

register();
const { startUnleash } = await import('./harness.ts');

const json = process.argv.includes('--json');
if (!json) process.stderr.write('Starting PostgreSQL and Unleash (first start runs migrations, ≈20 s)…\n');
let unleash;
try {
  unleash = await startUnleash({ onLog: (line) => process.stderr.write(`[unleash] ${line}\n`) });
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

if (json) {
  process.stdout.write(
    `${JSON.stringify({ url: unleash.url, token: unleash.token, version: unleash.version, secondActor: unleash.secondActor })}\n`,
  );
} else {
  process.stdout.write(
    [
      `Unleash ${unleash.version} is running.`,
      `  URL:          ${unleash.url}`,
      `  Admin token:  ${unleash.token}   (Authorization header, no "Bearer")`,
      `  Second actor: ${unleash.secondActor.token}   (another admin token; its events say "${unleash.secondActor.name}")`,
      `  Web UI login: ${unleash.uiLogin.username} / ${unleash.uiLogin.password}`,
      'Press Ctrl-C to stop it (its database is deleted).',
      '',
    ].join('\n'),
  );
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await unleash.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Keep the process alive until a signal arrives.
setInterval(() => {}, 1 << 30);
