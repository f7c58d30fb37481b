/**
 * Writes bench/out/latest.json (every figure with its runs' median/min/max/p95, baseline and ratio) and
 * bench/out/latest.md (the table with each figure's docs/design.md budget, and for each missed budget the gap and its
 * cause). `tsx bench/report.ts` re-renders the markdown from latest.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GAP_CAUSES } from './causes';
import type { Figure, Unit } from './figures';

export interface BenchReport {
  name: string;
  startedAt: string;
  durationS: number;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    node: string;
    chromium: string;
    loadAverage: { start: number[]; end: number[] };
  };
  figures: Figure[];
}

export const OUT_DIR = join(import.meta.dirname, 'out');

function num(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return '—';
  if (unit === 'samples/s') return v >= 1000 ? `${Math.round(v / 1000).toLocaleString('en')}k/s` : `${v.toFixed(0)}/s`;
  if (unit === 'MB') return `${v.toFixed(0)} MB`;
  if (unit === 'points' || unit === 'pixels') return `${Math.round(v).toLocaleString('en')}`;
  if (unit === '%') return `${v.toFixed(2)} %`;
  if (unit === '/min') return `${v.toFixed(1)} /min`;
  if (unit === 'KB/min') return `${v.toFixed(0)} KB/min`;
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms`;
}

function baselineCell(f: Figure): string {
  const b = f.baseline;
  if (!b) return '—';
  const value = b.capped && b.capMs ? `> ${(b.capMs / 1000).toFixed(0)} s` : num(b.median, f.unit);
  return `${value} — ${b.name}`;
}

function ratioCell(f: Figure): string {
  if (f.ratio === null || !Number.isFinite(f.ratio)) return '—';
  const r = f.ratio >= 10 ? f.ratio.toFixed(0) : f.ratio.toFixed(2);
  return f.baseline?.capped ? `> ×${r}` : `×${r}`;
}

function metCell(f: Figure): string {
  if (f.met === null) return '—';
  return f.met ? 'met' : '**missed**';
}

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const lines: string[] = [
    `# Rampart benchmarks — ${r.name}`,
    '',
    `Run ${r.startedAt} in ${Math.round(r.durationS)} s on ${m.cores} × ${m.cpu}, ${m.memoryGb.toFixed(0)} GB, Node ${m.node}, ${m.chromium}, no GPU (software raster). ` +
      `Load average at start ${m.loadAverage.start.map((x) => x.toFixed(1)).join(' / ')}, at end ${m.loadAverage.end.map((x) => x.toFixed(1)).join(' / ')} (the machine is shared: absolute times drift, ratios much less).`,
    '',
    'Each figure: several runs, median (p95, min–max) next to a naive baseline measured in the same process. ' +
      'Ratio = how many times better than the baseline (> 1 better; "> ×N" when the baseline hit its time cap). Budgets from docs/design.md.',
    '',
    '| Figure | Median | p95 | Min – max | Runs | Baseline (median) | Ratio | Budget | Budget met |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of r.figures) {
    lines.push(
      `| ${f.name} | ${num(f.median, f.unit)} | ${num(f.p95, f.unit)} | ${num(f.min, f.unit)} – ${num(f.max, f.unit)} | ${f.runs} | ${baselineCell(f)} | ${ratioCell(f)} | ${f.budget?.text ?? '—'} | ${metCell(f)} |`,
    );
  }
  const missed = r.figures.filter((f) => f.met === false);
  lines.push('', '## Budgets missed: the gap and its cause', '');
  if (missed.length === 0) lines.push('Every budget was met.');
  // Figures sharing a cause (the same drawing at three sizes) are listed together, the cause once.
  const byCause = new Map<string, Figure[]>();
  for (const f of missed) byCause.set(causeKey(f.id), [...(byCause.get(causeKey(f.id)) ?? []), f]);
  for (const [key, group] of byCause) {
    const gaps = group.map((f) => {
      const stat = f.budget?.stat ?? 'median';
      return `**${f.name}**: ${stat} ${num(f[stat], f.unit)} against ${f.budget?.text ?? ''}`;
    });
    lines.push(`- ${gaps.join('; ')}. ${GAP_CAUSES[key] ?? group[0].note}`);
  }
  lines.push('', '## How each figure was measured', '');
  for (const f of r.figures)
    lines.push(`- **${f.name}** — ${f.note || 'see bench/'}${f.baseline ? ` Baseline: ${f.baseline.name}.` : ''}`);
  lines.push(
    '',
    '## Reproduce',
    '',
    '`npm run bench` (builds the app, then `tsx bench/run.ts`; no network; about 6 minutes on a quiet 2-core machine, longer under load). Where the time goes: `tsx bench/app/profile-app.ts` (CPU profile of the shipped renderer). Needs Debian `chromium`, ' +
      '`postgresql` and `npm ci --prefix test/components/unleash`. It writes bench/out/latest.json and bench/out/latest.md and exits 0 even when a budget is missed.',
    '',
  );
  return lines.join('\n');
}

/** Causes are written per kind of figure (chart.m4-line.1M → chart.m4-line). */
function causeKey(id: string): string {
  return id in GAP_CAUSES ? id : id.replace(/\.(10k|100k|1M)$/, '');
}

export function writeReport(r: BenchReport): { json: string; md: string } {
  mkdirSync(OUT_DIR, { recursive: true });
  const json = join(OUT_DIR, 'latest.json');
  const md = join(OUT_DIR, 'latest.md');
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, renderMarkdown(r));
  return { json, md };
}

if (process.argv[1] && /bench[\\/]report\.ts$/.test(process.argv[1])) {
  const r = JSON.parse(readFileSync(join(OUT_DIR, 'latest.json'), 'utf8')) as BenchReport;
  writeFileSync(join(OUT_DIR, 'latest.md'), renderMarkdown(r));
  console.log(`re-rendered ${join(OUT_DIR, 'latest.md')}`);
}
