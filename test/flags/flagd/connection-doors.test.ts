import { execFileSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../main/core/core';
import { createHandlers } from '../../../main/core/handlers';
import { main } from '../../../main/host/cli';
import { createRegistrar } from '../../../main/host/registrar';
import { MAX_FLAG_FILE_BYTES } from '../../../main/flags/flagd/flagd-limits';

/**
 * Tester findings F2 and F4 (issue 9: "a bad file makes that connection show a clear error"; "flag files: regular
 * files only"). Through the CLI, as a user would: a flagd connection is saved only with an absolute path to a
 * regular file within the size limit (the CLI resolving a relative --file against its cwd), and `flags list` of a
 * connection whose file cannot be read is that error with a non-zero exit — while the all-connections list goes on.
 */

const work = mkdtempSync(path.join(tmpdir(), 'rampart-flagd-doors-'));
const dataDir = path.join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const flagFile = JSON.stringify({
  flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' } },
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--data-dir', dataDir], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const add = (name: string, file: string) =>
  run('connections', 'add', '--kind', 'flagd', '--name', name, '--file', file);

describe('saving a flagd connection (F4)', () => {
  it('resolves a relative --file against the working directory and says the absolute path it saved', async () => {
    const file = path.join(work, 'relative.json');
    writeFileSync(file, flagFile);
    const r = await add('rel', path.relative(process.cwd(), file));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Saved flagd connection 'rel' → ${file} (production)`);
    const listed = JSON.parse((await run('connections', 'list', '--json')).out) as Array<{
      connection: { id: string; file?: string };
    }>;
    expect(listed.find((c) => c.connection.id === 'rel')?.connection.file).toBe(file);
  });

  it('refuses a missing file, a directory, a FIFO, a device and a file over the size limit, naming the path', async () => {
    const dir = path.join(work, 'a-dir');
    mkdirSync(dir);
    const fifo = path.join(work, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const big = path.join(work, 'big.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_FLAG_FILE_BYTES + 1); // sparse: no 8 MiB written
    closeSync(fd);
    const cases: Array<[string, string, RegExp]> = [
      ['missing', path.join(work, 'nowhere', 'x.json'), /does not exist/],
      ['dir', dir, /is a directory, not a regular file/],
      ['fifo', fifo, /is a FIFO \(named pipe\), not a regular file/],
      ['device', '/dev/null', /is a character device, not a regular file/],
      ['big', big, /is larger than 8\.0 MiB/],
    ];
    for (const [name, file, why] of cases) {
      const r = await add(name, file);
      expect(r.code, `${name}: ${r.out}`).not.toBe(0);
      expect(r.err).toContain(file);
      expect(r.err).toMatch(why);
    }
    const ids = (JSON.parse((await run('connections', 'list', '--json')).out) as Array<{ connection: { id: string } }>)
      .map((c) => c.connection.id)
      .sort();
    expect(ids.filter((id) => cases.some(([name]) => name === id))).toEqual([]); // nothing half-saved
  });

  it('refuses a relative path at the core, whatever the door', async () => {
    const core = createCore({
      dataDir: path.join(work, 'core'),
      resourcesDir: path.join(__dirname, '..', '..', '..', 'resources'),
      secrets: () => undefined,
      version: 'test',
      demo: false,
    });
    try {
      const r = createRegistrar(createHandlers(core));
      const save = r.call(
        'connections:save',
        { connection: { id: 'rel', name: 'rel', kind: 'flagd', file: 'relative.json', environment: 'production' } },
        { door: 'http' },
      );
      await expect(save).rejects.toThrow(/flagd file "relative\.json" is a relative path; give the absolute path/);
    } finally {
      core.close();
    }
  });
});

describe('flags list of a connection whose file Rampart cannot read (F2)', () => {
  const file = path.join(work, 'mixed.json');

  it('answers the error naming the file and the problem, and exits non-zero', async () => {
    writeFileSync(file, flagFile);
    expect((await add('mixed', file)).code).toBe(0);
    writeFileSync(file, '{ "flags": ');
    const broken = await run('flags', 'list', '--connection', 'mixed');
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(new RegExp(`flagd file ${file}: not valid JSON`));

    unlinkSync(file);
    const missing = await run('flags', 'list', '--connection', 'mixed');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`flagd file ${file} does not exist`);

    execFileSync('mkfifo', [file]);
    const fifo = await run('flags', 'list', '--connection', 'mixed');
    expect(fifo.code).toBe(2);
    expect(fifo.err).toContain(`flagd file ${file} is a FIFO`);
  });

  it('keeps listing the other connections without --connection, naming the bad one and why', async () => {
    const all = await run('flags', 'list');
    expect(all.code, all.err).toBe(1); // a partial list (main/host/cli/unlisted-connections.ts)
    expect(all.out).toMatch(/\brel\b/); // the healthy connection's flag is listed
    expect(all.out).toContain(`not listed: mixed (mixed): flagd file ${file} is a FIFO`);
  });

  it('refuses a metrics connection with "not a flag store", like flags show', async () => {
    const r = await run('flags', 'list', '--connection', 'demo-metrics');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a flag store/);
  });
});

describe('the CLI kill switch next to an odd flag (F1)', () => {
  it('rolls back the healthy flag and the odd one, each confirmed, leaving the other as it was', async () => {
    const file = path.join(work, 'odd.json');
    const good = {
      ...JSON.parse(flagFile).flags.f,
      targeting: {
        fractional: [
          ['on', 30],
          ['off', 70],
        ],
      },
    };
    const weird = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: 'on' };
    writeFileSync(file, JSON.stringify({ flags: { good, weird } }));
    expect((await add('odd', file)).code).toBe(0);
    const listed = await run('flags', 'list', '--connection', 'odd');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(/good/);
    expect(listed.out).toMatch(/weird/);
    for (const flag of ['good', 'weird']) {
      const r = await run('rollback', flag, '--env', 'production', '--connection', 'odd', '--comment', 'kill it');
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/confirmed/);
      expect(r.out).not.toMatch(/not confirmed|unconfirmed/i);
    }
    const after = JSON.parse(readFileSync(file, 'utf8')) as { flags: Record<string, Record<string, unknown>> };
    expect(after.flags.good.targeting).toEqual({
      fractional: [
        ['on', 0],
        ['off', 100],
      ],
    });
    expect(after.flags.weird).toEqual({ ...weird, state: 'DISABLED' });
  });
});

describe('a flagd connection stored with a relative path by an older Rampart', () => {
  it('is that connection’s error naming the fix, never another file; start-up and the other connections go on', async () => {
    const dir = path.join(work, 'legacy');
    const file = path.join(work, 'legacy-good.json');
    writeFileSync(file, flagFile);
    const core = createCore({
      dataDir: dir,
      resourcesDir: path.join(__dirname, '..', '..', '..', 'resources'),
      secrets: () => undefined,
      version: 'test',
      demo: false,
    });
    try {
      // Written straight to the store, as a record from before the rule would be (the save door refuses it).
      const legacy = { id: 'old', name: 'old', kind: 'flagd', file: 'flags.json', environment: 'production' };
      core.store.records.connections.save(legacy as never);
      core.store.records.connections.save({
        id: 'good',
        name: 'good',
        kind: 'flagd',
        file,
        environment: 'production',
      } as never);
      await core.start(); // builds every watched flagd store: the bad record must not stop it
      const r = createRegistrar(createHandlers(core));
      await expect(r.call('flags:list', { connectionId: 'old' }, { door: 'http' })).rejects.toThrow(
        /flagd file "flags\.json" is a relative path; edit the connection/,
      );
      const all = (await r.call('flags:list', {}, { door: 'http' })) as Array<{
        connectionId: string;
        flagKey: string;
      }>;
      expect(all.map((f) => `${f.connectionId}/${f.flagKey}`)).toEqual(['good/f']);
    } finally {
      core.close();
    }
    const out: string[] = [];
    const code = await main(['flags', 'list', '--data-dir', dir], { out: (x) => out.push(x), err: (x) => out.push(x) });
    expect(code).toBe(1); // a partial list (main/host/cli/unlisted-connections.ts)
    expect(out.join('\n')).toMatch(/not listed: old \(old\): flagd file "flags\.json" is a relative path; edit the/);
  });
});
