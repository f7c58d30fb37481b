/** Number formatting for axes, tooltips and the verdict table: numbers a human can compare at a glance. */
export { formatPercent } from '../../../shared/domain/flags';

export type Unit = 'rps' | 'ratio' | 'ms';

/** Up to `digits` significant digits, without trailing zeros or exponent notation for everyday magnitudes. */
export function formatSig(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${Number((v / 1e6).toPrecision(digits))}M`;
  if (abs >= 1e4) return `${Number((v / 1e3).toPrecision(digits))}k`;
  if (abs < 1e-4) return v.toExponential(1);
  return String(Number(v.toPrecision(digits)));
}

/** A value in its unit: "12.3 rps", "1.25%", "184 ms" (seconds past 10 s). */
export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (unit === 'ratio') return `${formatSig(v * 100)}%`;
  if (unit === 'ms') return Math.abs(v) >= 10_000 ? `${formatSig(v / 1000)} s` : `${formatSig(v)} ms`;
  return `${formatSig(v)} rps`;
}

/** Axis tick: shorter than formatValue — the axis title carries the unit. */
export function formatAxis(v: number, unit: Unit): string {
  if (unit === 'ratio') return `${formatSig(v * 100, 2)}%`;
  return formatSig(v, 3);
}

/** p-values: 4 decimals, and "< 0.0001" below that, as papers print them. */
export function formatPValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  if (p < 1e-4) return '< 0.0001';
  return p.toFixed(4);
}

export function formatMaybe(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return formatSig(v, digits);
}

export function formatInterval(ci: readonly [number, number] | null, digits = 3): string {
  if (!ci) return '—';
  return `[${formatSig(ci[0], digits)}, ${formatSig(ci[1], digits)}]`;
}

export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  return `×${r.toFixed(3)}`;
}
