import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { createHandlers } from '../../main/core/handlers';
import { createRegistrar, type Registrar } from '../../main/host/registrar';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';

/**
 * docs/security.md: "rollback with every metrics provider down — confirmed by read-back, p95 ≤ 2 s". A core with a
 * flagd file and its only metrics providers (Prometheus, Datadog) pointing at ports where nothing listens, a watch on
 * the flag, and the live loop running (decisions ticking against the dead providers). The ramp guard refuses to ramp
 * (that is how we know the metrics are really down); every rollback must still be confirmed by the store's own
 * treatment reach. The p95 is printed for the report; the assertion is on correctness only (speed is `npm run bench`).
 */
const ROLLBACKS = 60;
const REPO = join(__dirname, '..', '..');

let dir: string;
let core: Core;
let r: Registrar;
const call = <C extends Channel>(c: C, p: RequestOf<C>): Promise<ResponseOf<C>> =>
  r.call(c, p as never, { door: 'http' });

/** A port that was free a moment ago: connecting to it is refused, like a provider that is down. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-metrics-down-'));
  const file = join(dir, 'flags.json');
  copyFileSync(join(REPO, 'resources/demo/flags.json'), file);
  core = createCore({
    dataDir: dir,
    resourcesDir: join(REPO, 'resources'),
    secrets: () => undefined,
    version: 'test',
    demo: false,
  });
  r = createRegistrar(createHandlers(core));
  await call('connections:save', { connection: { id: 'flags', name: 'Flags', kind: 'flagd', file } });
  await call('connections:save', {
    connection: {
      id: 'prom',
      name: 'Prometheus (down)',
      kind: 'prometheus',
      url: `http://127.0.0.1:${await deadPort()}`,
    },
  });
  await call('connections:save', {
    connection: { id: 'dd', name: 'Datadog (down)', kind: 'datadog', site: `http://127.0.0.1:${await deadPort()}` },
  });
  const proposed = await core.proposeWatch('flags', 'checkout-v2', 'production');
  await call('watches:save', { watch: { ...proposed, metricsConnectionId: 'prom' } });
  await core.start();
});
afterAll(() => {
  core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rollback with every metrics provider down', () => {
  it(`is confirmed by the store's treatment reach, ${ROLLBACKS} times in a row`, async () => {
    const blocked = await call('flags:ramp', {
      connectionId: 'flags',
      flagKey: 'checkout-v2',
      env: 'production',
      to: 30,
      expected: 25,
      comment: 'try without metrics',
      override: false,
    }).catch((e: { code?: string }) => e);
    expect(blocked).toMatchObject({ code: 'blocked' }); // the metrics really are down

    const times: number[] = [];
    let exposure = 25;
    for (let i = 0; i < ROLLBACKS; i++) {
      if (i > 0) {
        await call('flags:ramp', {
          connectionId: 'flags',
          flagKey: 'checkout-v2',
          env: 'production',
          to: 20,
          expected: exposure,
          comment: `ramp ${i} with an override`,
          override: true,
        });
        exposure = 20;
      }
      const t0 = performance.now();
      const res = await call('flags:rollback', {
        connectionId: 'flags',
        flagKey: 'checkout-v2',
        env: 'production',
        comment: `rollback ${i}, metrics down`,
      });
      times.push(performance.now() - t0);
      expect(res.reach?.state, res.reach?.detail).toBe('none');
      exposure = res.readBack.exposure ?? 0;
    }
    const audit = await call('audit:list', { flagKey: 'checkout-v2', limit: 500 });
    const rollbacks = audit.filter((a) => a.action === 'rollback');
    expect(rollbacks).toHaveLength(ROLLBACKS);
    expect(
      rollbacks.every(
        (a) => a.result === 'done' && a.door === 'http' && (a.detail?.reach as { state?: string })?.state === 'none',
      ),
    ).toBe(true);
    expect(audit.some((a) => a.action === 'ramp' && a.result === 'refused')).toBe(true);

    const sorted = [...times].sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    console.log(
      `[rollback-metrics-down] ${ROLLBACKS} rollbacks confirmed by treatment reach: p50 ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`,
    );
  }, 300_000);
});
