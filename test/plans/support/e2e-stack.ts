import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanEvent, PlanView } from '../../../shared/domain/plans';
import type { AuditEntry } from '../../../shared/domain/audit';
import { openRuntime } from '../../../main/host/cli/runtime';
import { defaultMetricSpecs } from '../../../main/metrics/templates';
import type { RunningUnleash } from '../../components/unleash/harness';
import { unleashAdmin } from '../../e2e/support/unleash-seed';
import { CLI, ROOT } from '../../e2e/support/browser-host';

/** The variable the Unleash connection names for its token (the RAMPART_ prefix: docs/security.md). */
export const TOKEN_ENV = 'RAMPART_E2E_PLANS_UNLEASH_TOKEN';
const cli = { door: 'cli' as const };

const feature = (flag: string, env?: string) =>
  `/api/admin/projects/default/features/${flag}${env ? `/environments/${env}` : ''}`;

/** A flag as a person creates it before a guarded rollout: a gradual rollout at 0 % with the variant "on", enabled. */
export async function seedFlagAtZero(unleash: RunningUnleash, flag: string): Promise<void> {
  await unleashAdmin(unleash, 'POST', '/api/admin/projects/default/features', {
    name: flag,
    description: `plan e2e: ${flag}`,
    type: 'release',
  });
  await unleashAdmin(unleash, 'POST', `${feature(flag, 'production')}/strategies`, {
    name: 'flexibleRollout',
    parameters: { rollout: '0', stickiness: 'default', groupId: flag },
    constraints: [],
    variants: [{ name: 'on', weight: 1000, weightType: 'variable', stickiness: 'default' }],
  });
  await unleashAdmin(unleash, 'POST', `${feature(flag, 'production')}/on`);
}

/** What Unleash serves: whether production is on, and the rollout of its first strategy. */
export async function unleashState(
  unleash: RunningUnleash,
  flag: string,
): Promise<{ enabled: boolean; rollout: number }> {
  const f = await unleashAdmin<{
    environments: { name: string; enabled: boolean; strategies: { parameters: Record<string, string> }[] }[];
  }>(unleash, 'GET', feature(flag));
  const env = f.environments.find((e) => e.name === 'production')!;
  return { enabled: env.enabled, rollout: Number(env.strategies[0]?.parameters.rollout ?? 0) };
}

/** A person moving the rollout in Unleash itself (the admin API, as the Unleash UI does). */
export async function editRolloutInUnleash(unleash: RunningUnleash, flag: string, rollout: number): Promise<void> {
  const [s] = await unleashAdmin<{ id: string }[]>(unleash, 'GET', `${feature(flag, 'production')}/strategies`);
  await unleashAdmin(unleash, 'PATCH', `${feature(flag, 'production')}/strategies/${s.id}`, [
    { op: 'replace', path: '/parameters/rollout', value: String(rollout) },
  ]);
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  intervalMs = 1_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 400)})`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface Runner {
  owner: string;
  /** `http://127.0.0.1:PORT/alertmanager/<trigger id>` when started with --listen. */
  alertmanager: string | null;
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A data dir with the Unleash and Prometheus connections; requests go through the registrar in this process (as
 * the CLI makes them), while the runners are real `rampart autopilot` child processes on the same data dir.
 */
export function planStack(unleash: RunningUnleash) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-plans-e2e-'));
  process.env[TOKEN_ENV] = unleash.token;
  const rt = openRuntime(dataDir);
  const call = rt.registrar.call as <T = unknown>(channel: string, payload: unknown, ctx: typeof cli) => Promise<T>;
  const runners: Runner[] = [];

  return {
    dataDir,
    call: <T>(channel: string, payload: unknown) => call<T>(channel, payload, cli),
    /** Add the connection (or replace it). */
    save: (connection: Record<string, unknown>) => call('connections:save', { connection }, cli),
    async connect(id: string, prometheusUrl: string): Promise<void> {
      await call(
        'connections:save',
        { connection: { kind: 'unleash', id: 'unleash', name: 'Unleash', url: unleash.url, tokenEnv: TOKEN_ENV } },
        cli,
      );
      await call(
        'connections:save',
        { connection: { kind: 'prometheus', id, name: `Prometheus ${id}`, url: prometheusUrl } },
        cli,
      );
    },
    /** A watch on the OpenTelemetry defaults (they find `http_server_request_duration_bucket`), 5 s data steps. */
    async watch(flag: string, metricsId: string): Promise<void> {
      await call(
        'watches:save',
        {
          watch: {
            id: '',
            flagConnectionId: 'unleash',
            flagKey: flag,
            env: 'production',
            metricsConnectionId: metricsId,
            selector: `feature_flag_key="${flag}"`,
            variantLabel: 'feature_flag_result_variant',
            stepSec: 5,
            metrics: defaultMetricSpecs('prometheus'),
            thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
          },
        },
        cli,
      );
    },
    start: (flag: string, policy: Record<string, unknown>, comment = `e2e: guarded rollout of ${flag}`) =>
      call<PlanView>(
        'plans:start',
        { connectionId: 'unleash', flagKey: flag, env: 'production', policy, comment },
        cli,
      ),
    plan: (id: string) => call<PlanView>('plans:get', { planId: id }, cli),
    events: (id: string) => call<PlanEvent[]>('plans:events', { planId: id }, cli),
    audit: (flag: string) => call<AuditEntry[]>('audit:list', { flagKey: flag, limit: 500 }, cli),
    /** `rampart autopilot --tick 1s` on this data dir, as a systemd unit would run it. */
    async runner(extra: string[] = []): Promise<Runner> {
      const child = spawn(
        process.execPath,
        [CLI, 'autopilot', '--data-dir', dataDir, '--tick', '1s', '--json', ...extra],
        { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } },
      );
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-6000)));
      const info = await new Promise<{ owner: string; alertmanager: string | null }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`autopilot printed nothing in 30 s: ${err}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) {
            clearTimeout(timer);
            resolve(JSON.parse(line) as { owner: string; alertmanager: string | null });
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`autopilot exited (${code}): ${err}`));
        });
      });
      const r: Runner = {
        owner: info.owner,
        alertmanager: info.alertmanager,
        child,
        stderr: () => err,
        stop: (signal: NodeJS.Signals = 'SIGTERM') =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill(signal);
          }),
      };
      runners.push(r);
      return r;
    },
    async close(): Promise<void> {
      await Promise.all(runners.map((r) => r.stop('SIGKILL')));
      rt.core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type PlanStack = ReturnType<typeof planStack>;
