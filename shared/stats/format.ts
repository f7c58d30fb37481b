/** Number formatting for the judge's plain-language reasons (no Intl: shared code runs in Node and the renderer). */

/** About three significant digits, no exponent for everyday magnitudes: 21.4, 0.0123, 1250. */
export function formatNumber(x: number, decimals?: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '-∞' : 'NaN';
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e9 || magnitude < 1e-6) return x.toPrecision(3);
  const places = decimals ?? decimalsFor(magnitude);
  return x.toFixed(places);
}

/** Decimals that show about three significant digits of `magnitude` (at most 6). */
export function decimalsFor(magnitude: number): number {
  if (!(magnitude > 0) || !Number.isFinite(magnitude)) return 0;
  return Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(magnitude))));
}

export function formatSigned(x: number, decimals?: number): string {
  const text = formatNumber(x, decimals);
  return x > 0 ? `+${text}` : text;
}

/** An interval with both ends at the precision of the wider end: "[15.1, 27.9]". */
export function formatInterval(ci: [number, number], unit = ''): string {
  const decimals = decimalsFor(Math.max(Math.abs(ci[0]), Math.abs(ci[1]), Math.abs(ci[1] - ci[0])));
  const suffix = unit ? ` ${unit}` : '';
  return `[${formatNumber(ci[0], decimals)}, ${formatNumber(ci[1], decimals)}]${suffix}`;
}

/** A relative change with one decimal: 0.182 → "18.2%". */
export function formatPercentChange(fraction: number): string {
  if (!Number.isFinite(fraction)) return '∞%';
  return `${(Math.abs(fraction) * 100).toFixed(1)}%`;
}

/** A rate as a percentage with precision that suits error rates: 0.0033 → "0.33%". */
export function formatRate(rate: number): string {
  const percent = rate * 100;
  if (percent === 0) return '0%';
  return `${formatNumber(percent, Math.min(4, Math.max(1, decimalsFor(Math.abs(percent)) - 1)))}%`;
}

/** Percentage points with two decimals: 0.0021 → "+0.21 pp". */
export function formatPoints(difference: number): string {
  const points = difference * 100;
  const text = Math.abs(points) < 0.01 && points !== 0 ? points.toPrecision(2) : points.toFixed(2);
  return `${points > 0 ? '+' : ''}${text} pp`;
}

/** Unit guessed from a metric name's suffix (p99_ms → "ms"); empty when unknown. */
export function unitFromName(name: string): string {
  const match = /_(ms|s|us|ns|seconds|milliseconds|bytes|pct|percent)$/.exec(name);
  if (!match) return '';
  const unit = match[1];
  if (unit === 'seconds') return 's';
  if (unit === 'milliseconds') return 'ms';
  if (unit === 'pct' || unit === 'percent') return '%';
  return unit;
}

/** "p99", "p99.9", "p50" for quantile 0.99, 0.999, 0.5. */
export function quantileLabel(q: number): string {
  return `p${Number((q * 100).toFixed(4))}`;
}

/** Confidence as a percentage label: 0.98 → "98%", 0.995 → "99.5%". */
export function confidenceLabel(confidence: number): string {
  return `${Number((confidence * 100).toFixed(2))}%`;
}

/** A duration in minutes/hours for humans: 720000 → "12 min", 5400000 → "1.5 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (minutes < 120) return `${Math.ceil(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${Number(hours.toFixed(1))} h`;
  return `${Number((hours / 24).toFixed(1))} d`;
}

/** A configured limit as a percentage without trailing zeros: 0.1 → "10%", 0.125 → "12.5%". */
export function formatLimit(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/** A p-value for reasons: 0.0123, 0.258, 1.1e-6 (never "0.000001"). */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'NaN';
  if (p === 0) return '0';
  if (p < 1e-4) return p.toExponential(1);
  return p.toPrecision(3).replace(/\.?0+$/, '');
}
