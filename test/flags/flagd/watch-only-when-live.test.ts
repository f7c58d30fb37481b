import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../../main/core/core';
import { main } from '../../../main/host/cli';

/**
 * A flagd file is watched by a live core only (the app, `serve`, `autopilot`). A one-shot CLI command used to start a
 * watch on every flagd connection it built, and each broken file among them printed "[rampart] watching …" to stderr
 * beside the answer about another connection.
 */
const work = mkdtempSync(path.join(tmpdir(), 'rampart-watch-live-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const flagFile = (variant: string) =>
  JSON.stringify({
    flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: variant } },
  });

async function cli(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const code = await main([...argv, '--data-dir', dataDir], { out: (s) => out.push(s), err: (s) => out.push(s) });
  return { code, out: out.join('\n') };
}

describe('flagd watches', () => {
  it('a one-shot command names a broken file in its answer only, not again in a watch warning', async () => {
    const dataDir = path.join(work, 'quiet');
    const good = path.join(work, 'good.json');
    const broken = path.join(work, 'broken.json');
    writeFileSync(good, flagFile('on'));
    writeFileSync(broken, flagFile('on'));
    for (const [name, file] of [
      ['good', good],
      ['broken', broken],
    ])
      expect((await cli(dataDir, 'connections', 'add', '--kind', 'flagd', '--name', name, '--file', file)).code).toBe(
        0,
      );
    writeFileSync(broken, '{ not json');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const listed = await cli(dataDir, 'flags', 'list');
    expect(listed.code, listed.out).toBe(1); // a partial list: the broken file is named once, in the answer
    expect(listed.out).toMatch(/not listed: broken \(broken\): flagd file .*broken\.json: not valid JSON/);
    await new Promise((r) => setTimeout(r, 300)); // a watch's first read and debounce would have reported by now
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([]);
  });

  it('a live core watches: an edit made outside Rampart becomes a flag change', async () => {
    const file = path.join(work, 'live.json');
    writeFileSync(file, flagFile('off'));
    const core = createCore({
      dataDir: path.join(work, 'live'),
      resourcesDir: path.join(__dirname, '..', '..', '..', 'resources'),
      secrets: () => undefined,
      version: 'test',
      demo: false,
    });
    try {
      core.store.records.connections.save({
        id: 'live',
        name: 'live',
        kind: 'flagd',
        file,
        environment: 'production',
      } as never);
      const seen: unknown[] = [];
      core.bus.subscribe((name, payload) => name === 'flags:changed' && seen.push(payload));
      await core.start();
      await new Promise((r) => setTimeout(r, 300)); // the watch's first read sets its baseline
      writeFileSync(file, flagFile('on'));
      await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0), { timeout: 5_000, interval: 50 });
    } finally {
      core.close();
    }
  });
});
