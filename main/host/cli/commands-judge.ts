import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { BASELINE_KINDS, type JudgeInput, type BaselineKind, type WatchVerdict } from '../../../shared/domain/verdict';
import type { WatchDecision } from '../../../shared/domain/decision';
import { exitCodeFor } from '../../../shared/stats/judge';
import { formatRelativeInterval } from '../../../shared/stats/margin';
import { UsageError } from './args';
import {
  ctxDoor,
  onePositional,
  print,
  resolveConnection,
  resolveFlagEnv,
  TIME_OPTIONS,
  type Command,
} from './commands';
import { formatTime, localizeText, table, timeZoneOf, zoneLabel, type TimeZone } from './format';

/** The example `judge --help` prints: a valid input to start from (docs/statistics.md "rampart judge"). */
export const JUDGE_EXAMPLE_INPUT = {
  confidence: 0.98,
  metrics: [
    {
      name: 'p99_ms',
      kind: 'latency',
      critical: true,
      baseline: [120.1, 118.3, 121.7, 119.9, 122.4],
      canary: [131.0, 129.8, 133.2, 130.4, 128.9],
    },
    { name: 'errors', kind: 'errors', baseline: { errors: 12, total: 10000 }, canary: { errors: 30, total: 9000 } },
  ],
};

const EXIT_CODES = 'exit: 0 pass, 1 fail, 3 marginal or inconclusive, 2 bad input';

function verdictTable(v: Pick<WatchVerdict, 'metrics'>): string {
  return table(
    ['METRIC', 'VERDICT', 'DIRECTION', 'METHOD', 'P', 'ESTIMATE', 'CI', 'RATIO', 'INTERVAL vs MARGIN', 'N (B/C)'],
    v.metrics.map((m) => [
      m.name,
      m.verdict,
      m.direction,
      m.method,
      m.pValue === null ? '—' : m.pValue.toPrecision(3),
      m.estimate === null ? '—' : m.estimate.toPrecision(4),
      m.ci ? `[${m.ci[0].toPrecision(3)}, ${m.ci[1].toPrecision(3)}]` : '—',
      m.ratio === null ? '—' : m.ratio.toFixed(3),
      // The relative interval the verdict compared with the allowed change (shared/stats/margin.ts).
      m.relativeCi && m.margin !== null
        ? `${formatRelativeInterval(m.relativeCi)} vs +${Number((m.margin * 100).toFixed(2))}%`
        : '—',
      `${m.baselineN}/${m.canaryN}`,
    ]),
  );
}

/** One line per metric: why, and what its interval is (its level, stated exactly). */
function reasonLines(v: Pick<WatchVerdict, 'metrics'>): string[] {
  return v.metrics.map((m) => `- ${m.reason} [${m.level}]`);
}

/**
 * The pipeline exit code of the one decision (docs/design.md "One decision, many consumers"): what the Ramp button
 * and plans act on. Roll back → 1 even while the fixed-horizon verdict is still undecided (the live guard acted).
 */
export function decisionExitCode(d: Pick<WatchDecision, 'action' | 'verdict'>): 0 | 1 | 3 {
  if (d.action === 'rollback') return 1;
  return exitCodeFor(d.verdict.verdict);
}

function decisionText(d: WatchDecision, shown: WatchVerdict, tz: TimeZone): string {
  const w = (x: { from: number; to: number }) => `${formatTime(x.from, tz)} → ${formatTime(x.to, tz)}`;
  const other = shown.baseline.kind !== d.baseline;
  const text = [
    `${d.flagKey} in ${d.env}: ${d.action.toUpperCase()} — ${d.reason}`,
    `decision: verdict ${d.verdict.verdict.toUpperCase()} (score ${d.verdict.score.toFixed(1)}) on the ${d.baseline} baseline${d.baselineReason ? ` (${d.baselineReason})` : ''}; guard ${d.guard.act ? 'ACTS' : 'quiet'}: ${d.guard.reason}`,
    d.stale ? `STALE: ${d.stale.message} (data from ${Math.round(d.stale.ageMs / 1000)} s ago)` : '',
    other
      ? `shown below: the ${shown.baseline.kind} baseline, for comparison — the decision (and the exit code) use ${d.baseline}`
      : '',
    `times in ${zoneLabel(tz)}`,
    `baseline (${shown.baseline.kind}): ${w(shown.baseline)} — ${shown.baseline.label}`,
    `canary: ${w(shown.canary)} — ${shown.canary.label}`,
    verdictTable(shown),
    ...reasonLines(shown),
  ]
    .filter(Boolean)
    .join('\n');
  return localizeText(text, tz); // the core's sentences name times in UTC: one zone on every line (tester 2, F7)
}

export const judgeCommands: Record<string, Command> = {
  judge: {
    usage: `rampart judge <file|-> [--json]   ${EXIT_CODES}`,
    options: {},
    examples: [
      'rampart judge canary.json',
      'curl -s https://ci.example/canary.json | rampart judge - --json',
      `example input (docs/statistics.md):\n${JSON.stringify(JUDGE_EXAMPLE_INPUT, null, 2)}`,
    ],
    async run(ctx) {
      const source = onePositional(ctx, 'input file (or - for stdin)');
      let text: string;
      try {
        text = readFileSync(source === '-' ? 0 : source, 'utf8');
      } catch (e) {
        throw new UsageError(
          `cannot read ${source === '-' ? 'stdin' : source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`${source === '-' ? 'stdin' : source} is not valid JSON: ${(e as Error).message}`);
      }
      // Through the registrar like every door: the contract's schema is checked there, once (a bad input is
      // bad_request naming the field, exit 2).
      const out = await ctx.registrar().call('judge:run', raw as z.input<typeof JudgeInput>, ctxDoor);
      print(ctx, out, () =>
        [
          `verdict: ${out.verdict.toUpperCase()}  score ${out.score.toFixed(1)}${out.reason ? ` — ${out.reason}` : ''}`,
          verdictTable(out),
          ...reasonLines(out),
        ].join('\n'),
      );
      return exitCodeFor(out.verdict);
    },
  },
  verdict: {
    usage: `rampart verdict <flag> [--env E] [--connection C] [--baseline ${BASELINE_KINDS.join('|')}] [--json] [--utc]   ${EXIT_CODES}`,
    options: { env: { type: 'string' }, connection: { type: 'string' }, baseline: { type: 'string' }, ...TIME_OPTIONS },
    examples: [
      'rampart verdict checkout-v2 --env production            # the decision the Ramp button and plans act on',
      'rampart verdict checkout-v2 --env production --baseline seasonal --json',
      'rampart verdict checkout-v2 --env production || rampart rollback checkout-v2 --env production --comment "pipeline gate failed"',
    ],
    async run(ctx) {
      const tz = timeZoneOf(ctx.values);
      const flagKey = onePositional(ctx, 'flag key');
      const baseline = ctx.values.baseline as string | undefined;
      if (baseline !== undefined && !(BASELINE_KINDS as readonly string[]).includes(baseline)) {
        throw new UsageError(`--baseline must be one of ${BASELINE_KINDS.join(', ')}, got '${baseline}'`);
      }
      const r = ctx.registrar();
      const connectionId = await resolveConnection(r, ctx.values.connection as string | undefined);
      const { env } = await resolveFlagEnv(r, connectionId, flagKey, ctx.values.env as string | undefined, {
        requireEnv: true,
      });
      if (env === undefined) throw new UsageError('--env is required');
      const w = await r.call('watches:forFlag', { connectionId, flagKey, env }, ctxDoor);
      if (!w.saved)
        throw new UsageError(
          `no watch for ${flagKey} in ${env}: add one with 'rampart watch add ${flagKey} --env ${env} --metrics <connection> --selector <labels>'`,
        );
      const decision = await r.call('decision:get', { watchId: w.watch.id }, ctxDoor);
      const shown =
        baseline === undefined || baseline === decision.baseline
          ? decision.verdict
          : await r.call('verdict:get', { watchId: w.watch.id, baseline: baseline as BaselineKind }, ctxDoor);
      print(ctx, { decision, verdict: shown, exitCode: decisionExitCode(decision) }, () =>
        decisionText(decision, shown, tz),
      );
      return decisionExitCode(decision);
    },
  },
};
