#!/usr/bin/env node
/**
 * The Electronegativity gate (docs/security.md). Electronegativity exits 0 even when it finds problems, so this script
 * runs it (through its API: security/electronegativity-run.cjs) and exits 1 on any finding at MEDIUM or above that the allowlist
 * (scripts/security/electronegativity-allow.json: [{check, file, reason}]) does not annotate with a reason.
 *
 * Why staging: the CLI takes a single --input, and the global checks (navigation limits, permission handler, CSP)
 * need to see the main process, the preload and the page together — scanning main/ and preload/ one at a time
 * reports the preload as "missing navigation limits". So main/, preload/ and renderer/index.html (the page, with
 * its CSP meta tag) are copied into one temp folder with the same relative paths and scanned once.
 *
 * Why its API, not its CLI's reports: the SARIF report has no severity, and the CSV writer races (see the runner).
 *
 * Usage: node scripts/electronegativity-check.mjs [--root <repo>] [--allow <allowlist.json>] [--report <copy.json>]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gate } from './security/electronegativity-gate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : fallback;
};
const root = opt('--root', resolve(here, '..'));
const allowFile = opt('--allow', join(here, 'security', 'electronegativity-allow.json'));
const reportCopy = opt('--report', undefined);

/** What the app ships: the main process, the preload and the page (its CSP meta tag). */
const SCANNED = ['main', 'preload', 'renderer/index.html'];

/** A failure that names the problem; thrown so the temp folder is still removed (process.exit skips `finally`). */
class GateError extends Error {}
function fail(message) {
  throw new GateError(message);
}

function main() {
  const require = createRequire(join(here, '..', 'package.json'));
  let cli;
  let electronVersion;
  try {
    cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
  } catch {
    fail('@doyensec/electronegativity is not installed: run `npm install` (it is a devDependency).');
  }
  try {
    // Without the real version it assumes Electron 0.1.0, whose insecure defaults would swamp the report.
    electronVersion = require('electron/package.json').version;
  } catch {
    fail('electron is not installed: run `npm install` (Electronegativity needs its version to judge defaults).');
  }

  const stage = mkdtempSync(join(tmpdir(), 'rampart-electronegativity-'));
  try {
    for (const rel of SCANNED) {
      const from = join(root, rel);
      if (!existsSync(from)) fail(`${rel} does not exist under ${root}`);
      mkdirSync(dirname(join(stage, 'src', rel)), { recursive: true });
      cpSync(from, join(stage, 'src', rel), { recursive: true });
    }
    const out = join(stage, 'report.json');
    const run = spawnSync(
      process.execPath,
      [join(here, 'security', 'electronegativity-run.cjs'), join(stage, 'src'), electronVersion, out],
      {
        encoding: 'utf8',
        timeout: 300_000,
        cwd: root,
      },
    );
    if (run.error) fail(`could not run Electronegativity: ${run.error.message}`);
    if (run.status !== 0) fail(`Electronegativity exited with ${run.status}:\n${run.stderr}`);
    let result;
    try {
      result = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      fail(`Electronegativity wrote no report:\n${run.stdout}${run.stderr}`);
    }
    // A file it cannot parse is a file it did not scan: that must not pass silently.
    if (result.errors.length)
      fail(
        `Electronegativity could not parse some files, so they were not scanned:\n${result.errors.map((e) => `${e.file}: ${e.message}`).join('\n')}`,
      );
    if (reportCopy) writeFileSync(reportCopy, JSON.stringify(result.issues, null, 2));
    let allow;
    try {
      allow = JSON.parse(readFileSync(allowFile, 'utf8'));
    } catch (e) {
      fail(`cannot read the allowlist ${allowFile}: ${e instanceof Error ? e.message : e}`);
    }
    const verdict = gate(result.issues, allow);
    for (const line of verdict.lines) console.log(line);
    return verdict.ok ? 0 : 1;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (e) {
  if (!(e instanceof GateError)) throw e;
  console.error(`electronegativity-check: ${e.message}`);
  process.exitCode = 1;
}
