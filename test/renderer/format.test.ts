import { describe, expect, it } from 'vitest';
import {
  formatAxis,
  formatInterval,
  formatPValue,
  formatRatio,
  formatSig,
  formatValue,
} from '../../renderer/src/lib/format';

describe('number formatting', () => {
  it('formats values in their unit', () => {
    expect(formatValue(0.0125, 'ratio')).toBe('1.25%');
    expect(formatValue(184.26, 'ms')).toBe('184 ms');
    expect(formatValue(12_500, 'ms')).toBe('12.5 s');
    expect(formatValue(1234.5, 'rps')).toBe('1230 rps');
    expect(formatValue(null, 'ms')).toBe('—');
    expect(formatValue(Number.NaN, 'ms')).toBe('—');
  });

  it('keeps axis ticks short', () => {
    expect(formatAxis(0.05, 'ratio')).toBe('5%');
    expect(formatAxis(25_000, 'rps')).toBe('25k');
    expect(formatSig(2_500_000)).toBe('2.5M');
  });

  it('prints p-values, intervals and ratios as numbers', () => {
    expect(formatPValue(0.0123456)).toBe('0.0123');
    expect(formatPValue(1e-9)).toBe('< 0.0001');
    expect(formatPValue(null)).toBe('—');
    expect(formatInterval([1.23456, 7.891])).toBe('[1.23, 7.89]');
    expect(formatRatio(1.1)).toBe('×1.100');
  });
});
