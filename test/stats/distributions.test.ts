import { describe, expect, it } from 'vitest';
import {
  erfc,
  normalCdf,
  normalQuantile,
  normalSf,
  normalTwoSidedP,
  twoSidedZ,
} from '../../shared/stats/distributions';
import {
  betaRegularized,
  binomialCdf,
  binomialSf,
  chiSquareCdf,
  chiSquareSf,
  logGamma,
  studentTCdf,
  studentTTwoSidedP,
} from '../../shared/stats/special';
import { expectClose, loadFixture } from './helpers';

interface NormalFixture {
  cdf: Array<{ x: number; cdf: number; sf: number }>;
  ppf: Array<{ p: number; x: number }>;
  erfc: Array<{ x: number; erfc: number }>;
}
interface SpecialFixture {
  gammaln: Array<{ x: number; value: number }>;
  chi2: Array<{ x: number; df: number; sf: number; cdf: number }>;
  t: Array<{ t: number; df: number; twoSided: number; cdf: number; cdfNeg: number }>;
  binom: Array<{ k: number; n: number; p: number; cdf: number; sf: number }>;
  betainc: Array<{ x: number; a: number; b: number; value: number }>;
}

const normal = loadFixture<NormalFixture>('normal.json');
const special = loadFixture<SpecialFixture>('special.json');

describe('normal distribution (scipy.stats.norm)', () => {
  it('cdf and sf match to 1e-12 relative, deep tails included', () => {
    for (const c of normal.cdf) {
      expectClose(normalCdf(c.x), c.cdf, 1e-12, 1e-300, `cdf(${c.x})`);
      expectClose(normalSf(c.x), c.sf, 1e-12, 1e-300, `sf(${c.x})`);
    }
  });

  it('quantile matches to 1e-12 relative from 1e-300 to 1 − 1e-12', () => {
    for (const c of normal.ppf) expectClose(normalQuantile(c.p), c.x, 1e-12, 1e-15, `ppf(${c.p})`);
  });

  it('erfc matches to 1e-12 relative on both sides of the series/continued-fraction switch', () => {
    for (const c of normal.erfc) expectClose(erfc(c.x), c.erfc, 1e-12, 0, `erfc(${c.x})`);
  });

  it('handles the edges: 0, 1, NaN, infinities, and two-sided critical values', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(Number.NaN)).toBeNaN();
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalSf(Infinity)).toBe(0);
    expect(normalTwoSidedP(0)).toBe(1);
    expectClose(twoSidedZ(0.95), 1.959963984540054, 1e-12);
    expectClose(twoSidedZ(0.98), 2.3263478740408408, 1e-12);
  });
});

describe('special functions (scipy.special / scipy.stats)', () => {
  it('log-gamma matches to 1e-12 relative', () => {
    for (const c of special.gammaln) expectClose(logGamma(c.x), c.value, 1e-12, 1e-14, `lgamma(${c.x})`);
  });

  it('chi-square sf and cdf match to 1e-9 relative', () => {
    for (const c of special.chi2) {
      expectClose(chiSquareSf(c.x, c.df), c.sf, 1e-9, 1e-300, `chi2.sf(${c.x}, ${c.df})`);
      expectClose(chiSquareCdf(c.x, c.df), c.cdf, 1e-9, 1e-300, `chi2.cdf(${c.x}, ${c.df})`);
    }
  });

  it('Student t two-sided p and cdf match to 1e-9 relative, fractional df included', () => {
    for (const c of special.t) {
      expectClose(studentTTwoSidedP(c.t, c.df), c.twoSided, 1e-9, 1e-300, `t2(${c.t}, ${c.df})`);
      expectClose(studentTCdf(c.t, c.df), c.cdf, 1e-9, 1e-300, `tcdf(${c.t}, ${c.df})`);
      expectClose(studentTCdf(-c.t, c.df), c.cdfNeg, 1e-9, 1e-300, `tcdf(${-c.t}, ${c.df})`);
    }
  });

  it('binomial cdf and sf match to 1e-7 relative up to n = 10⁶', () => {
    for (const c of special.binom) {
      expectClose(binomialCdf(c.k, c.n, c.p), c.cdf, 1e-7, 1e-300, `binom.cdf(${c.k}, ${c.n}, ${c.p})`);
      expectClose(binomialSf(c.k, c.n, c.p), c.sf, 1e-7, 1e-300, `binom.sf(${c.k}, ${c.n}, ${c.p})`);
    }
  });

  it('regularized incomplete beta matches to 1e-9 relative', () => {
    for (const c of special.betainc)
      expectClose(betaRegularized(c.x, c.a, c.b), c.value, 1e-9, 1e-300, `I(${c.x}; ${c.a}, ${c.b})`);
  });
});
