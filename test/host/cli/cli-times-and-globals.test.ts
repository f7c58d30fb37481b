import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hoistGlobalOptions, main } from '../../../main/host/cli';
import { formatTime, localizeText } from '../../../main/host/cli/format';
import { servedWhat } from '../../../main/host/cli/serve';

/**
 * Tester 2, F7 and F12 (CLI): one zone on every line — the core's own sentences ("… 00:25Z – 02:35Z") rewritten into
 * the command's zone by the same formatter as the tables —, global options before the command, and `serve` naming
 * what it serves.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'rampart-cli-globals-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const NY = { iana: 'America/New_York' } as const;
const NOW = Date.UTC(2026, 11, 2, 2, 50);

describe("the core's UTC times in a printed line", () => {
  it('are printed in the command zone, a span end and a bare time included', () => {
    const line = 'concurrent control: 2026-12-02 00:25Z – 02:35Z; since rollout 0% → 1% at 02:37Z';
    const got = localizeText(line, NY, NOW);
    expect(got).toBe('concurrent control: 2026-12-01 19:25-05:00 – 21:35-05:00; since rollout 0% → 1% at 21:37-05:00');
    expect(got).not.toMatch(/\dZ/);
    expect(localizeText(line, 'UTC', NOW)).toBe(line);
    // The same clock as the tables' formatter, to the minute.
    expect(got).toContain(formatTime(Date.UTC(2026, 11, 2, 0, 25), NY).slice(0, 16));
    expect(localizeText('a bare 23:59Z', NY, NOW)).toBe('a bare 18:59-05:00'); // yesterday's, the nearest one
  });
});

describe('global options before the command', () => {
  it('are moved after it, values and --opt=value forms alike; anything else stays put', () => {
    expect(hoistGlobalOptions(['--data-dir', 'D', 'plan', 'list'])).toEqual(['plan', 'list', '--data-dir', 'D']);
    expect(hoistGlobalOptions(['--json', '--data-dir=D', 'flags', 'stale'])).toEqual([
      'flags',
      'stale',
      '--json',
      '--data-dir=D',
    ]);
    expect(hoistGlobalOptions(['--bogus', 'plan', 'list'])).toEqual(['--bogus', 'plan', 'list']);
  });

  it('work through the real entry: `rampart --data-dir D plan list` lists plans in D', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['--data-dir', dataDir, 'plan', 'list', '--utc'], {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/STARTED \(UTC\)/); // the demo workspace's plan, its start in the chosen zone
    expect(out.join('\n')).not.toMatch(/\d{2}T\d{2}:\d{2}/); // no ISO "…T02:23:01.757Z"
    const bad: string[] = [];
    expect(await main(['--data-dir', dataDir, 'nosuch'], { out: () => undefined, err: (s) => bad.push(s) })).toBe(2);
    expect(bad.join('')).toContain("unknown command 'nosuch'");
  });
});

describe('what `serve` says it serves', () => {
  it('is the demo workspace only when nothing else is there', () => {
    expect(servedWhat([{ demo: true }, { demo: true }], '/d')).toBe('the demo workspace (/d)');
    expect(servedWhat([{ demo: true }, {}, {}], '/d')).toBe('/d (2 connections of yours, and the demo)');
    expect(servedWhat([{}], '/d')).toBe('/d (1 connection of yours)');
  });
});
