/** bench/out/judge.md: the operating-characteristics tables of the judge simulation, and how the targets fared. */
import { availableParallelism } from 'node:os';
import type { LatencyModel } from './latency-model';
import type { AaRow, BakeRow, DetectRow, PathDetection, SrmRow } from './report';
import type { TrafficModel } from './traffic';
import { PILOTS } from './bake-check';

export interface TimingSummary {
  /** Median over fresh processes of the first call (includes V8's JIT warm-up). */
  coldMs: number;
  warmMedianMs: number;
  processes: number;
  /** 1-minute load average when timed: other work on the machine inflates wall-clock times. */
  loadAverage: number;
  metrics: number;
  samplesPerArm: number;
}

export interface Report {
  setup: {
    traffic: TrafficModel;
    busyTraffic: TrafficModel;
    models: LatencyModel[];
    aaRuns: number;
    aaSteps: number;
    looksPerStep: number;
    detectRuns: number;
    horizon: number;
    srmRuns: number;
    confidence: number;
    margin: number;
  };
  aa: AaRow[];
  detection: DetectRow[];
  /** The +25 % rows again on a service ten times busier. */
  busy: DetectRow[];
  bake: BakeRow[];
  srm: SrmRow[];
  timing: TimingSummary;
  seconds: number;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const exposure = (e: number): string => `${Number((e * 100).toFixed(2))}%`;
const PATH_LABEL = { histogram: 'merged histogram', perMinute: 'per-minute p99', errors: 'errors' } as const;

function delay(d: PathDetection | undefined, horizon: number): string {
  if (!d) return '—';
  const m = d.median === null ? `> ${horizon}` : String(d.median);
  const p = d.p90 === null ? `> ${horizon}` : String(d.p90);
  return `${m} (${p}); ${pct(d.detected)}`;
}

function busyMedian(r: Report, model: string, e: number): string {
  const d = r.busy.find((x) => x.model === model && x.exposure === e);
  return d?.paths.histogram?.median === undefined || d.paths.histogram.median === null
    ? `> ${d?.horizon ?? ''}`
    : String(d.paths.histogram.median);
}

function targets(r: Report): string[] {
  const lines: string[] = [];
  const worstAa = Math.max(...r.aa.flatMap((a) => [a.guard.histogramWatch['300'], a.guard.perMinuteWatch['300']]));
  lines.push(
    `- A/A false alarm of the live guard over 300 looks ≤ 1 %: worst row ${pct(worstAa)} (± ${pct(Math.sqrt((worstAa * (1 - worstAa)) / Math.max(1, r.setup.aaRuns)))}) — ${worstAa <= 0.01 ? 'met' : 'MISSED'}.`,
  );
  const rows = (e: number) => r.detection.filter((d) => d.label === 'p99 ×1.25' && d.exposure === e);
  const cell = (d: DetectRow, path: 'histogram' | 'perMinute') =>
    `${d.model} ${d.paths[path]?.median ?? `> ${d.horizon}`} min`;
  for (const [e, limit] of [
    [0.05, 10],
    [0.01, 30],
  ] as const) {
    const worst = Math.max(...rows(e).map((d) => d.paths.histogram?.median ?? Infinity));
    const requests = Math.round(r.setup.traffic.requestsPerStep * e);
    const sim = r.bake
      .filter((b) => b.exposure === e && b.path === 'histogram' && b.label === 'p99 ×1.25')
      .map((b) => `${b.model} ${b.simulated ?? `> ${r.setup.horizon}`}`);
    lines.push(
      `- +25 % p99 at ${exposure(e)} exposure caught in a median ≤ ${limit} min with histograms: ${rows(e)
        .map((d) => cell(d, 'histogram'))
        .join(', ')} — ${worst <= limit ? 'met' : 'MISSED'}; per-minute p99: ${rows(e)
        .map((d) => cell(d, 'perMinute'))
        .join(', ')}.` +
        (worst <= limit
          ? ''
          : ` The canary gets ${requests} requests a minute; the judge's fixed-horizon verdict reaches power 0.8 after ${sim.join(', ')} min (bake-time table above) and the guard adds its 3-step sustain. At ${r.setup.busyTraffic.requestsPerStep / 60} rps the same rows take ${r.setup.models.map((m) => `${m.name} ${busyMedian(r, m.name, e)}`).join(', ')} min.`),
    );
  }
  const srm = Math.max(...r.srm.flatMap((x) => [x.alerts.units, x.alerts.requests]));
  lines.push(
    `- SRM A/A alerts ≤ 1 % (units and the dispersion-corrected request test): worst ${pct(srm)} — ${srm <= 0.01 ? 'met' : 'MISSED'} (the naive request chi-square: up to ${pct(Math.max(...r.srm.map((x) => x.alerts.naive)))}).`,
  );
  const byPath = (['histogram', 'errors', 'perMinute'] as const).map((path) => {
    const measured = r.bake.filter((b) => b.path === path && b.predicted !== null && b.simulated !== null);
    const within = measured.filter(
      (b) => Math.abs((b.predicted as number) / (b.simulated as number) - 1) <= 0.2,
    ).length;
    // How far one pilot can land: the widest 10th–90th percentile band relative to the simulated time.
    const bands = measured.map((b) => {
      const [lo, hi] = b.pilotRange;
      const sim = b.simulated as number;
      return `${lo === null ? '> 24 h' : (lo / sim).toFixed(2)}–${hi === null ? '> 24 h' : (hi / sim).toFixed(2)}`;
    });
    return `${PATH_LABEL[path]} ${within} of ${measured.length} (one pilot / simulated, 10th–90th pct: ${bands.join(', ') || '—'})`;
  });
  lines.push(
    `- Bake-time prediction within ±20 % of the simulated power-0.8 time (median of ${PILOTS} pilots), among the rows where both exist: ${byPath.join('; ')}.`,
  );
  return lines;
}

export function markdown(r: Report): string {
  const s = r.setup;
  const L: string[] = [];
  L.push('# Operating characteristics of the judge (`npm run bench:judge`)', '');
  L.push(
    `Simulated service: ${s.traffic.requestsPerStep.toLocaleString('en-US')} requests per 1-minute step (${s.traffic.requestsPerStep / 60} rps) split by exposure (Poisson per arm), a load factor exp(${s.traffic.loadSigma}·AR(1), ρ = 0.9) shared by both arms, errors ${pct(s.traffic.errorRate)} per request. Latencies are drawn as histogram bucket counts (exponential buckets ×2^(1/4) from 1 ms, a native-histogram schema-2 layout, and +Inf) by Poisson splitting — exact, no request is drawn. The **merged histogram** path judges each arm's buckets summed over the window (the \`histogram\` kind); the **per-minute p99** path judges each minute's histogram_quantile(0.99) (the \`latency\` kind, the fallback). Latency models: ${s.models.map((m) => `**${m.name}** (${m.description})`).join('; ')}.`,
    '',
  );
  L.push(
    `Judge: confidence ${s.confidence}, margin +${s.margin * 100}% (p99) and +10 % relative / +0.1 pp (errors). The live guard (\`guardStep\`) is called exactly as the core calls it and acts on an always-valid interval beyond the margin or a fixed-horizon fail on 3 consecutive new data steps that together bring at least the judge's own sample floor of new canary data (docs/statistics.md "Watching live").`,
    '',
  );

  L.push(
    `## A/A false alarms (${s.aaRuns} runs per row, ${s.aaSteps} one-minute steps, a look every 5 s = ${s.looksPerStep} looks per step)`,
    '',
  );
  L.push(
    "Share of runs in which the live guard acted within the first 60 / 300 looks (5 / 25 minutes of data) — nothing is wrong in these runs. A watch = the p99 path + errors. Fixed-horizon: the verdict failed at any of the steps. Interval excludes 0: the judge's 98 % interval on identical arms at the last step (nominal 2 %).",
    '',
  );
  L.push(
    '| model | exposure | guard, watch with merged histogram (60 / 300 looks) | guard, watch with per-minute p99 (60 / 300) | guard per metric: histogram / per-minute / errors (300) | fixed-horizon fail, any step: histogram / per-minute / errors | interval excludes 0 at 25 min: histogram / per-minute / errors |',
  );
  L.push('|---|---|---|---|---|---|---|');
  for (const a of r.aa) {
    const g = a.guard;
    L.push(
      `| ${a.model} | ${exposure(a.exposure)} | ${pct(g.histogramWatch['60'])} / ${pct(g.histogramWatch['300'])} | ${pct(g.perMinuteWatch['60'])} / ${pct(g.perMinuteWatch['300'])} | ${pct(g.histogram['300'])} / ${pct(g.perMinute['300'])} / ${pct(g.errors['300'])} | ${pct(a.fixedAny.histogram)} / ${pct(a.fixedAny.perMinute)} / ${pct(a.fixedAny.errors)} | ${pct(a.excludesZero.histogram)} / ${pct(a.excludesZero.perMinute)} / ${pct(a.excludesZero.errors)} |`,
    );
  }
  L.push('');

  const horizon = s.horizon;
  L.push(`## Detection (${s.detectRuns} runs per row, horizon ${horizon} min)`, '');
  L.push(
    'Minutes from the change until the live guard acts: median (90th percentile); share of runs detected within the horizon. "inside the margin" rows should not be detected: they are within the allowed +10 %.',
    '',
  );
  L.push(
    '| regression | model | exposure | merged histogram | per-minute p99 | by the always-valid interval (histogram / per-minute) | first fixed-horizon fail, median (histogram / per-minute) |',
  );
  L.push('|---|---|---|---|---|---|---|');
  for (const d of r.detection.filter((x) => x.errorAdded === 0)) {
    const h = d.paths.histogram;
    const m = d.paths.perMinute;
    L.push(
      `| ${d.label} | ${d.model} | ${exposure(d.exposure)} | ${delay(h, horizon)} | ${delay(m, horizon)} | ${pct(h?.alwaysValid ?? 0)} / ${pct(m?.alwaysValid ?? 0)} | ${h?.firstFail ?? '—'} / ${m?.firstFail ?? '—'} |`,
    );
  }
  L.push(
    '',
    '| regression | exposure | errors: guard delay median (p90); detected | by the always-valid interval | first fixed-horizon fail, median |',
    '|---|---|---|---|---|',
  );
  for (const d of r.detection.filter((x) => x.errorAdded > 0))
    L.push(
      `| ${d.label} | ${exposure(d.exposure)} | ${delay(d.paths.errors, horizon)} | ${pct(d.paths.errors?.alwaysValid ?? 0)} | ${d.paths.errors?.firstFail ?? '—'} |`,
    );
  L.push('');

  L.push(`### The same +25 % p99 on a service ten times busier (${s.busyTraffic.requestsPerStep / 60} rps)`, '');
  L.push(
    'Detection is a matter of requests in the canary arm: at 1 % of 500 rps the canary gets what 10 % of 50 rps gives.',
    '',
  );
  L.push('| model | exposure | merged histogram | per-minute p99 |', '|---|---|---|---|');
  for (const d of r.busy)
    L.push(
      `| ${d.model} | ${exposure(d.exposure)} | ${delay(d.paths.histogram, horizon)} | ${delay(d.paths.perMinute, horizon)} |`,
    );
  L.push('');

  L.push('## Bake time: prediction vs simulation', '');
  L.push(
    `\`bakeTimeForJudge\` from what the core has (30 minutes of both arms: the control's merged buckets and per-minute p99s, the canary's per-minute p99s, the error rate, the per-step request counts) against the minute at which the judge's fixed-horizon verdict failed the regression in 80 % of the simulated runs. Each row predicts from ${PILOTS} independent 30-minute pilots: "predicted" is their median (the figure compared with the simulation), "one pilot" the 10th–90th percentile of a single pilot's prediction — what the core may show on a given day.`,
    '',
  );
  L.push(
    '| regression | model | exposure | path | predicted (min, median of pilots) | one pilot, 10th–90th pct (min) | simulated (min) | predicted / simulated |',
    '|---|---|---|---|---|---|---|---|',
  );
  const minutes = (v: number | null) => (v === null ? '> 24 h' : String(v));
  for (const b of r.bake) {
    const ratio = b.predicted !== null && b.simulated !== null ? (b.predicted / b.simulated).toFixed(2) : '—';
    L.push(
      `| ${b.label} | ${b.model} | ${exposure(b.exposure)} | ${PATH_LABEL[b.path]} | ${minutes(b.predicted)} | ${minutes(b.pilotRange[0])} – ${minutes(b.pilotRange[1])} | ${b.simulated ?? '—'} | ${ratio} |`,
    );
  }
  L.push('');

  L.push(`## Sample ratio mismatch, A/A (${s.srmRuns} windows of 30 steps per row, per-user bucketing)`, '');
  L.push(
    'Users arrive as sessions (150 per step, mean 4 steps, heavy-tailed request rates: log-sd 1.2), each bucketed once. Alert = p < 0.001 (warn or alert: p < 0.01).',
    '',
  );
  L.push(
    '| exposure | on exposed units: alert (warn+alert) | request counts, dispersion-corrected | request counts, naive chi-square |',
    '|---|---|---|---|',
  );
  for (const x of r.srm)
    L.push(
      `| ${exposure(x.exposure)} | ${pct(x.alerts.units)} (${pct(x.warnings.units)}) | ${pct(x.alerts.requests)} (${pct(x.warnings.requests)}) | ${pct(x.alerts.naive)} (${pct(x.warnings.naive)}) |`,
    );
  L.push('');

  L.push('## Targets', '', ...targets(r), '');
  L.push('## Judge timing', '');
  L.push(
    `\`judge()\` on ${r.timing.metrics} latency metrics × 2 arms × ${r.timing.samplesPerArm.toLocaleString('en-US')} per-step values, ${r.timing.processes} fresh processes: first call median ${r.timing.coldMs.toFixed(1)} ms, later calls median ${r.timing.warmMedianMs.toFixed(1)} ms. Load average while timing: ${r.timing.loadAverage.toFixed(1)} on ${availableParallelism()} cores (other work inflates wall-clock times).`,
    '',
  );
  L.push(`Whole simulation: ${r.seconds.toFixed(0)} s.`, '');
  return L.join('\n');
}
