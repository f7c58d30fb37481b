/**
 * Rollback against a real, local Unleash 6 (test/components/unleash/harness.ts: Unleash + throwaway PostgreSQL):
 * a click's path — `POST /rpc/flags:rollback` on the browser host with its bearer token → registrar → rollout
 * service → audit intent (fsync) → Unleash write → read-back → audit result — until the confirmed answer,
 * versus the raw HTTP round trip of the same Unleash endpoint (`POST …/environments/production/off`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../main/core/core';
import { createHandlers } from '../main/core/handlers';
import { envSecretResolver } from '../main/host/env-secrets';
import { startHttpHost } from '../main/host/http';
import { createRegistrar } from '../main/host/registrar';
import { UnleashConnection } from '../shared/domain/connections';
import { startUnleash } from '../test/components/unleash/harness';
import { REPO_ROOT } from './bench-page';
import { percentile } from './data';
import { figure, type Figure } from './figures';

const FLAG = 'bench-checkout-v2';
const TOKEN_ENV = 'RAMPART_BENCH_UNLEASH_TOKEN';
const RUNS = 30;
const WARMUP = 3;

export async function benchRollback(log: (s: string) => void): Promise<Figure[]> {
  const started = Date.now();
  const unleash = await startUnleash();
  log(`rollback: Unleash ${unleash.version} up in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-bench-rollback-'));
  const envPath = `/api/admin/projects/default/features/${FLAG}/environments/production`;
  const admin = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(`${unleash.url}${path}`, {
      method,
      headers: { authorization: unleash.token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`Unleash ${method} ${path} → HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    await res.arrayBuffer();
    return res;
  };
  process.env[TOKEN_ENV] = unleash.token;
  let core: ReturnType<typeof createCore> | undefined;
  let host: Awaited<ReturnType<typeof startHttpHost>> | undefined;
  try {
    await admin('POST', '/api/admin/projects/default/features', {
      name: FLAG,
      type: 'release',
      description: 'benchmark flag',
    });
    await admin('POST', `${envPath}/strategies`, {
      name: 'flexibleRollout',
      parameters: { rollout: '25', stickiness: 'default', groupId: FLAG },
      constraints: [],
    });
    await admin('POST', `${envPath}/on`);

    const c = createCore({
      dataDir,
      resourcesDir: join(REPO_ROOT, 'resources'),
      secrets: envSecretResolver((id) => c.store.records.connections.get(id)),
      version: 'bench',
      demo: false,
    });
    core = c;
    core.connections.save(
      UnleashConnection.parse({
        id: 'bench-unleash',
        name: 'Bench Unleash',
        kind: 'unleash',
        url: unleash.url,
        tokenEnv: TOKEN_ENV,
      }),
    );
    host = await startHttpHost({
      registrar: createRegistrar(createHandlers(core)),
      bus: core.bus,
      staticDir: dataDir,
      port: 0,
    });
    const rpc = `${host.url}rpc/flags:rollback`;
    const bearer = `Bearer ${host.token}`;

    const viaRampart = async (): Promise<number> => {
      const start = performance.now();
      const res = await fetch(rpc, {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        body: JSON.stringify({
          connectionId: 'bench-unleash',
          flagKey: FLAG,
          env: 'production',
          comment: 'benchmark rollback',
        }),
      });
      const envelope = (await res.json()) as {
        result?: { readBack: { enabled: boolean } };
        error?: { message: string };
      };
      const ms = performance.now() - start;
      if (!envelope.result || envelope.result.readBack.enabled !== false)
        throw new Error(`rollback not confirmed: ${envelope.error?.message ?? JSON.stringify(envelope)}`);
      return ms;
    };
    const raw = async (): Promise<number> => {
      const start = performance.now();
      await admin('POST', `${envPath}/off`);
      return performance.now() - start;
    };

    const rampart: number[] = [];
    const direct: number[] = [];
    // Interleaved, so both arms see the same machine load; the flag is turned back on (untimed) before each.
    for (let i = -WARMUP; i < RUNS; i++) {
      await admin('POST', `${envPath}/on`);
      const a = await viaRampart();
      await admin('POST', `${envPath}/on`);
      const b = await raw();
      if (i >= 0) {
        rampart.push(a);
        direct.push(b);
      }
    }
    const audit = core.store.audit.list({ limit: 500 }).length;
    log(
      `rollback: p50 ${percentile(rampart, 0.5).toFixed(1)} / p95 ${percentile(rampart, 0.95).toFixed(1)} ms; raw p50 ${percentile(direct, 0.5).toFixed(1)} ms`,
    );
    const note = `${RUNS} rollbacks of a flexibleRollout flag (rollbackMode off), each confirmed by reading the flag back; ${audit} actions in the audit log (intent + result rows each).`;
    return [
      figure({
        id: 'rollback',
        name: 'Rollback click → confirmed by read-back, local Unleash (p50 = median; p95)',
        unit: 'ms',
        values: rampart,
        baseline: { name: 'raw HTTP round trip of the same Unleash endpoint', values: direct },
        budget: { text: '≤ 300 ms p95', op: '<=', limit: 300, stat: 'p95' },
        note,
      }),
    ];
  } finally {
    await host?.close();
    core?.close();
    delete process.env[TOKEN_ENV];
    rmSync(dataDir, { recursive: true, force: true });
    await unleash.stop();
  }
}
