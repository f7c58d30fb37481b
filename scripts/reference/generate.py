#!/usr/bin/env python3
"""Reference values for Rampart's judge (shared/stats), written as JSON fixtures to test/fixtures/stats/.

Run from the repository root:  python3 scripts/reference/generate.py
Needs numpy and scipy (Debian: apt-get install python3-scipy). Deterministic: fixed seeds, so re-running
produces the same files unless scipy's own results change.

Where scipy implements the method we use, scipy gives the reference (Mann-Whitney U, normal, chi-square,
Student t, binomial, Wilson). Where it does not, the reference is computed here independently of the TypeScript:
  - Hodges-Lehmann: brute force over all n*m pairwise differences, sorted, then the rank formula;
  - Newcombe hybrid-score interval: combined here from scipy's Wilson intervals;
  - pooled two-proportion z p-value: from scipy's 2x2 chi-square test without continuity correction
    (the same test by a different route);
  - order-statistic quantile CI ranks: by scanning the full binomial cdf/sf arrays;
  - the tie-aware shift interval (Brunner-Munzel inverted over shifts): by evaluating scipy's brunnermunzel at
    every distinct pairwise difference and between each neighbouring pair, then taking the extreme shifts it
    does not reject (brute force over the exact set, not a bisection);
  - MOVER-R ratio interval: by solving its defining equation with scipy.optimize.brentq on scipy's Wilson bounds
    (plain and continuity-corrected, scipy's 'wilsoncc');
  - histogram quantiles: Prometheus' histogram_quantile re-implemented here from its Go source, and the
    order-statistic ranks from the full binomial arrays.
"""
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import optimize, special, stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'fixtures', 'stats')


def write(name, payload):
    payload = {'generator': 'scripts/reference/generate.py', 'scipy': scipy.__version__, 'numpy': np.__version__, **payload}
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump(payload, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print(f'wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)')


def floats(a):
    return [float(v) for v in a]


def normal():
    xs = [-40, -37.5, -20, -8.5, -5, -3.1, -2, -1, -0.5, -1e-3, 0, 1e-8, 0.3, 0.9, 1.5, 2.3, 2.5, 2.6, 3.5, 5, 8, 12, 20, 30, 37]
    ps = [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-12, 1e-8, 1e-5, 0.001, 0.01, 0.02425, 0.025, 0.05, 0.1, 0.3, 0.5,
          0.7, 0.9, 0.95, 0.975, 0.98, 0.99, 0.995, 0.999, 0.999999, 1 - 1e-12]
    erfc_x = [-3, -0.5, 0, 0.1, 0.49, 0.5, 1, 2, 2.49, 2.5, 2.51, 3, 4, 6, 10, 15, 20, 25]
    return {
        'cdf': [{'x': x, 'cdf': float(stats.norm.cdf(x)), 'sf': float(stats.norm.sf(x))} for x in xs],
        'ppf': [{'p': p, 'x': float(stats.norm.ppf(p))} for p in ps],
        'erfc': [{'x': x, 'erfc': float(special.erfc(x))} for x in erfc_x],
    }


def special_functions():
    gammaln = [{'x': x, 'value': float(special.gammaln(x))} for x in [0.1, 0.5, 1, 1.5, 2, 2.5, 3.7, 10, 50.5, 171, 1000, 12345.6, 1e6]]
    chi2 = []
    for df in [1, 2, 3, 4, 5, 9, 30, 100]:
        for x in [0.001, 0.5, 1, 3.84, 6.63, 10.83, 20, 50, 150, 400]:
            chi2.append({'x': x, 'df': df, 'sf': float(stats.chi2.sf(x, df)), 'cdf': float(stats.chi2.cdf(x, df))})
    t = []
    for df in [1, 2, 3.5, 5, 10, 29.7, 100, 1000, 1e5]:
        for v in [0, 0.2, 1, 2, 2.5, 4, 8, 20]:
            t.append({'t': v, 'df': df, 'twoSided': float(2 * stats.t.sf(v, df)), 'cdf': float(stats.t.cdf(v, df)), 'cdfNeg': float(stats.t.cdf(-v, df))})
    binom = []
    for n, p in [(10, 0.3), (50, 0.5), (368, 0.99), (1000, 0.01), (3688, 0.999), (10000, 0.99), (100000, 0.5), (1000000, 0.999)]:
        mean = n * p
        sd = math.sqrt(n * p * (1 - p))
        ks = sorted({0, 1, n - 1, int(mean), int(mean - 2 * sd), int(mean + 2 * sd), int(mean - 4 * sd), int(mean + 3 * sd)})
        for k in ks:
            if 0 <= k <= n:
                binom.append({'k': k, 'n': n, 'p': p, 'cdf': float(stats.binom.cdf(k, n, p)), 'sf': float(stats.binom.sf(k, n, p))})
    betainc = [{'x': x, 'a': a, 'b': b, 'value': float(special.betainc(a, b, x))}
               for a, b in [(0.5, 0.5), (1, 3), (2.5, 7), (30, 20), (500, 0.5), (1000, 2000)] for x in [0.01, 0.2, 0.5, 0.8, 0.99]]
    return {'gammaln': gammaln, 'chi2': chi2, 't': t, 'binom': binom, 'betainc': betainc}


def latency_sample(rng, n, scale=100.0, sigma=0.3, shift=1.0, decimals=None):
    values = scale * shift * rng.lognormal(0.0, sigma, n)
    return np.round(values, decimals) if decimals is not None else values


def mann_whitney_cases(rng):
    specs = [
        ('small continuous', 5, 7, None, 1.0),
        ('small shifted', 8, 6, None, 1.6),
        ('heavy ties (integers 0-3)', 30, 40, 'int4', 1.0),
        ('ties, 1 decimal', 50, 80, 1, 1.05),
        ('medium continuous', 200, 150, None, 1.03),
        ('one arm constant', 20, 25, 'const', 1.0),
        ('large with ties (integer ms)', 4000, 6000, 0, 1.01),
        ('large 10k x 10k integer ms', 10000, 10000, 0, 1.002),
        ('unequal 1 vs 300', 1, 300, None, 1.0),
    ]
    cases = []
    for name, n_c, n_b, kind, shift in specs:
        if kind == 'int4':
            canary = rng.integers(0, 4, n_c).astype(float)
            baseline = rng.integers(0, 4, n_b).astype(float)
        elif kind == 'const':
            canary = np.full(n_c, 100.0)
            baseline = np.round(latency_sample(rng, n_b), 0)
        else:
            canary = latency_sample(rng, n_c, shift=shift, decimals=kind)
            baseline = latency_sample(rng, n_b, decimals=kind)
        r = stats.mannwhitneyu(canary, baseline, alternative='two-sided', method='asymptotic', use_continuity=True)
        cases.append({'name': name, 'canary': floats(canary), 'baseline': floats(baseline), 'u': float(r.statistic), 'pValue': float(r.pvalue)})
    return cases


def hodges_lehmann_reference(canary, baseline, confidence):
    diffs = np.sort(np.subtract.outer(canary, baseline).ravel())
    total = diffs.size
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    k = math.floor(total / 2 - z * math.sqrt(total * (len(canary) + len(baseline) + 1) / 12))
    estimate = float(np.median(diffs))
    ci = [float(diffs[k - 1]), float(diffs[total - k])] if k >= 1 else None
    return {'k': k, 'estimate': estimate, 'ci': ci}


def hodges_lehmann_cases(rng):
    specs = [
        ('tiny, no interval', 4, 4, None, 1.0, 0.98),
        ('smallest with an interval', 5, 5, None, 1.0, 0.98),
        ('small shifted', 12, 9, None, 1.3, 0.98),
        ('ties, 1 decimal', 60, 45, 1, 1.05, 0.98),
        ('heavy ties (integers)', 80, 90, 0, 1.0, 0.95),
        ('medium continuous', 300, 250, None, 1.1, 0.98),
        ('medium 90%', 400, 500, None, 0.97, 0.9),
        ('larger 1000 x 800', 1000, 800, None, 1.02, 0.98),
        ('unbalanced 3 x 2000', 3, 2000, None, 1.2, 0.98),
    ]
    cases = []
    for name, n_c, n_b, decimals, shift, confidence in specs:
        canary = latency_sample(rng, n_c, shift=shift, decimals=decimals)
        baseline = latency_sample(rng, n_b, decimals=decimals)
        cases.append({'name': name, 'canary': floats(canary), 'baseline': floats(baseline), 'confidence': confidence,
                      **hodges_lehmann_reference(canary, baseline, confidence)})
    return cases


def wilson(x, n, confidence, method='wilson'):
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=confidence, method=method)
    return [float(ci.low), float(ci.high)]


def newcombe(x1, n1, x2, n2, confidence, method='wilson'):
    p1, p2 = x1 / n1, x2 / n2
    w1, w2 = wilson(x1, n1, confidence, method), wilson(x2, n2, confidence, method)
    d = p2 - p1
    return [d - math.sqrt((p2 - w2[0]) ** 2 + (w1[1] - p1) ** 2), d + math.sqrt((w2[1] - p2) ** 2 + (p1 - w1[0]) ** 2)]


def proportion_cases():
    specs = [(12, 10000, 30, 9000), (0, 5000, 0, 5000), (0, 5000, 7, 5000), (5, 100, 0, 80), (100, 1000, 100, 1000),
             (1, 20, 5, 20), (250, 100000, 400, 100000), (10, 10, 3, 10), (37, 12000, 41, 800), (999, 1000, 1000, 1000)]
    cases = []
    for x1, n1, x2, n2 in specs:
        for confidence in (0.95, 0.98):
            p1, p2 = x1 / n1, x2 / n2
            w1, w2 = wilson(x1, n1, confidence), wilson(x2, n2, confidence)
            d = p2 - p1
            lower = d - math.sqrt((p2 - w2[0]) ** 2 + (w1[1] - p1) ** 2)
            upper = d + math.sqrt((w2[1] - p2) ** 2 + (p1 - w1[0]) ** 2)
            pooled = (x1 + x2) / (n1 + n2)
            se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            if se > 0:
                table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
                p_value = float(stats.chi2_contingency(table, correction=False).pvalue)
                z = d / se
            else:
                p_value, z = 1.0, 0.0
            cases.append({'baseline': {'errors': x1, 'total': n1}, 'canary': {'errors': x2, 'total': n2}, 'confidence': confidence,
                          'z': z, 'pValue': p_value, 'wilsonBaseline': w1, 'wilsonCanary': w2, 'newcombe': [lower, upper],
                          'wilsonCcCanary': wilson(x2, n2, confidence, 'wilsoncc'), 'newcombeCc': newcombe(x1, n1, x2, n2, confidence, 'wilsoncc')})
    return cases


def chisquare_cases():
    specs = [([5000, 5000], [50, 50]), ([5100, 4900], [50, 50]), ([5200, 4800], [50, 50]), ([1050, 9000], [10, 90]),
             ([120, 880], [10, 90]), ([30, 30, 40], [1, 1, 1]), ([8, 20], [50, 50]), ([333, 340, 327, 300], [25, 25, 25, 25]),
             ([10, 990], [1, 99]), ([500000, 501500], [50, 50])]
    cases = []
    for observed, split in specs:
        total = sum(observed)
        expected = [total * w / sum(split) for w in split]
        r = stats.chisquare(observed, expected)
        cases.append({'observed': observed, 'split': split, 'chiSquare': float(r.statistic), 'pValue': float(r.pvalue)})
    return cases


def quantile_indices(n, q, confidence):
    tail = (1 - confidence) / 2
    k = np.arange(n + 1)
    cdf = stats.binom.cdf(k, n, q)
    sf = stats.binom.sf(k, n, q)
    lowers = [l for l in range(1, n + 1) if cdf[l - 1] <= tail]
    uppers = [u for u in range(1, n + 1) if sf[u - 1] <= tail]
    if not lowers or not uppers:
        return None
    lower, upper = max(lowers), min(uppers)
    return {'lower': lower, 'upper': upper, 'coverage': float(1 - cdf[lower - 1] - sf[upper - 1])}


def min_n(q, confidence):
    n = 1
    while quantile_indices(n, q, confidence) is None:
        n += 1
    return n


def quantile_cases(rng):
    indices = []
    for n, q, confidence in [(368, 0.99, 0.95), (367, 0.99, 0.95), (500, 0.99, 0.95), (1000, 0.99, 0.95), (3688, 0.999, 0.95),
                             (3687, 0.999, 0.95), (10000, 0.999, 0.95), (20, 0.5, 0.95), (101, 0.5, 0.98), (2000, 0.95, 0.9),
                             (459, 0.99, 0.98), (458, 0.99, 0.98), (50000, 0.99, 0.95)]:
        indices.append({'n': n, 'q': q, 'confidence': confidence, 'result': quantile_indices(n, q, confidence)})
    thresholds = [{'q': q, 'confidence': c, 'minN': min_n(q, c)} for q, c in [(0.99, 0.95), (0.999, 0.95), (0.99, 0.98), (0.9, 0.95), (0.5, 0.95)]]
    samples = []
    for n, q in [(10, 0.5), (37, 0.9), (400, 0.99), (1000, 0.999)]:
        values = latency_sample(rng, n)
        samples.append({'values': floats(values), 'q': q, 'value': float(np.quantile(values, q))})
    return {'indices': indices, 'thresholds': thresholds, 'samples': samples}


def brunner_munzel_test(x, y):
    """scipy's Brunner-Munzel (t distribution), statistic signed so that it is positive when x is larger, with
    Rampart's documented convention where scipy cannot answer: a zero variance estimate is replaced by the
    no-difference variance (n+m+1)/(12nm) with n+m-2 degrees of freedom (shared/stats/brunner-munzel.ts)."""
    n, m = len(x), len(y)
    ranks = stats.rankdata(np.concatenate([x, y]))
    effect = (np.mean(ranks[:n]) - (n + 1) / 2) / m
    with np.errstate(all='ignore'):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            r = stats.brunnermunzel(x, y, distribution='t')
    stat = -float(r.statistic)
    if math.isfinite(stat) and math.isfinite(float(r.pvalue)):
        return effect, stat, float(r.pvalue)
    if effect == 0.5:
        return effect, 0.0, 1.0
    var = (n + m + 1) / (12 * n * m)
    stat = (effect - 0.5) / math.sqrt(var)
    return effect, stat, float(2 * stats.t.sf(abs(stat), n + m - 2))


def shift_interval_brute(canary, baseline, confidence):
    """Extreme non-rejected shifts of the two-sided BM test at `confidence` over the exact candidate set."""
    tail = (1 - confidence) / 2
    diffs = np.unique(np.subtract.outer(canary, baseline).ravel())
    candidates = np.concatenate([diffs, (diffs[:-1] + diffs[1:]) / 2])
    # Not rejected at two-sided level 2*tail <=> neither one-sided p-value is <= tail.
    kept = [float(d) for d in np.sort(candidates) if brunner_munzel_test(canary - d, baseline)[2] > 2 * tail]
    if not kept:
        return None
    # A kept midpoint means the open segment between two differences is in the set: its end is that difference.
    lo, hi = min(kept), max(kept)
    i = np.searchsorted(diffs, lo)
    lower = {'value': float(diffs[i - 1]), 'closed': False} if i < len(diffs) and diffs[i] != lo else {'value': lo, 'closed': True}
    j = np.searchsorted(diffs, hi)
    upper = {'value': float(diffs[j]), 'closed': False} if j >= len(diffs) or diffs[j] != hi else {'value': hi, 'closed': True}
    return [lower, upper]


def brunner_munzel_cases(rng):
    specs = [
        ('small continuous', 7, 9, None, 1.0),
        ('shifted continuous', 12, 15, None, 1.3),
        ('integer ms, mild shift', 40, 35, 0, 1.04),
        ('heavy ties (integers 0-3)', 30, 40, 'int4', 1.0),
        ('most values at one point', 40, 40, 'mass', 1.0),
        ('unequal spread (small arm noisier)', 20, 60, 'spread', 1.0),
        ('large 300 x 250', 300, 250, None, 1.02),
    ]
    tests = []
    intervals = []
    for name, n_c, n_b, kind, shift in specs:
        if kind == 'int4':
            canary = rng.integers(0, 4, n_c).astype(float)
            baseline = rng.integers(0, 4, n_b).astype(float)
        elif kind == 'mass':
            baseline = np.where(rng.random(n_b) < 0.9, 10.0, 11.0)
            canary = np.where(rng.random(n_c) < 0.7, 10.0, np.where(rng.random(n_c) < 0.5, 11.0, 700.0))
        elif kind == 'spread':
            canary = latency_sample(rng, n_c, sigma=0.6)
            baseline = latency_sample(rng, n_b, sigma=0.1)
        else:
            canary = latency_sample(rng, n_c, shift=shift, decimals=kind)
            baseline = latency_sample(rng, n_b, decimals=kind)
        for s in ([0.0, 1.0, -2.5] if kind != 'int4' else [0.0, 1.0]):
            effect, stat, p = brunner_munzel_test(canary - s, baseline)
            tests.append({'name': name, 'canary': floats(canary), 'baseline': floats(baseline), 'shift': s, 'effect': float(effect), 'statistic': stat, 'pValue': p})
        if n_c * n_b <= 3000:
            for confidence in (0.98, 0.9):
                intervals.append({'name': name, 'canary': floats(canary), 'baseline': floats(baseline), 'confidence': confidence,
                                  'pValueAtZero': brunner_munzel_test(canary, baseline)[2], 'ci': shift_interval_brute(canary, baseline, confidence)})
    return {'tests': tests, 'intervals': intervals}


def mover_ratio_brute(x_c, n_c, x_b, n_b, confidence, method='wilson'):
    """MOVER-R bounds for p_c/p_b as roots of (p_c - t p_b)^2 = (p_c - l_c)^2 + t^2 (u_b - p_b)^2 (lower) and the
    mirror (upper), found numerically on the side where p_c - t p_b has the right sign."""
    pc, pb = x_c / n_c, x_b / n_b
    lc, uc = wilson(x_c, n_c, confidence, method)
    lb, ub = wilson(x_b, n_b, confidence, method)
    def low(t):
        return (pc - t * pb) - math.sqrt((pc - lc) ** 2 + t * t * (ub - pb) ** 2)
    def high(t):
        return (pc - t * pb) + math.sqrt((uc - pc) ** 2 + t * t * (pb - lb) ** 2)
    lower = 0.0 if lc == 0 else optimize.brentq(low, 0.0, pc / pb if pb > 0 else 1e12, xtol=1e-15, rtol=1e-13)
    if lb == 0:
        upper = None
    else:
        hi = max(1.0, pc / pb if pb > 0 else 1.0)
        while high(hi) > 0:
            hi *= 2
        upper = optimize.brentq(high, max(pc / pb, 0.0) if pb > 0 else 0.0, hi, xtol=1e-15, rtol=1e-13)
    return [lower, upper]


def mover_ratio_cases():
    specs = [(12, 10000, 30, 9000), (100, 10000, 150, 10000), (1000, 1000000, 1500, 1000000), (0, 20000, 60, 20000),
             (5, 100, 0, 80), (37, 12000, 41, 800), (3, 50, 9, 60), (200000, 1000000, 210000, 1000000), (1, 3000, 2, 150)]
    cases = []
    for x_b, n_b, x_c, n_c in specs:
        for confidence in (0.95, 0.98):
            cases.append({'baseline': {'errors': x_b, 'total': n_b}, 'canary': {'errors': x_c, 'total': n_c}, 'confidence': confidence,
                          'ratio': mover_ratio_brute(x_c, n_c, x_b, n_b, confidence),
                          'ratioCc': mover_ratio_brute(x_c, n_c, x_b, n_b, confidence, 'wilsoncc')})
    return cases


def histogram_quantile_prometheus(q, bounds, counts):
    """Prometheus' histogram_quantile (promql/quantile.go, bucketQuantile) on per-bucket counts: cumulative counts,
    rank = q * total, linear interpolation inside the bucket, lowest bucket starting at 0, +Inf -> largest finite."""
    cum = np.cumsum(counts)
    total = cum[-1]
    rank = q * total
    finite = [i for i, b in enumerate(bounds) if b is not None]
    b = next((i for i in finite if cum[i] >= rank), None)
    if b is None:
        return float(bounds[finite[-1]]), True
    if b == 0 and bounds[0] <= 0:
        return float(bounds[0]), False
    start = 0.0 if b == 0 else float(bounds[b - 1])
    below = 0.0 if b == 0 else float(cum[b - 1])
    count = float(cum[b]) - below
    return start + (float(bounds[b]) - start) * ((rank - below) / count), False


def histogram_cases(rng):
    otel = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000, None]
    fine = [round(10 * 1.25 ** k, 6) for k in range(30)] + [None]
    cases = []
    for name, bounds, n, sigma, scale in [('otel default ms buckets', otel, 5000, 0.6, 80), ('exponential x1.25', fine, 20000, 0.6, 80),
                                          ('tail in +Inf', otel, 2000, 1.8, 3000), ('fine, small arm', fine, 400, 0.6, 80)]:
        values = scale * rng.lognormal(0, sigma, n)
        edges = [b for b in bounds if b is not None]
        idx = np.searchsorted(edges, values, side='left')  # bucket i holds (le_{i-1}, le_i]
        counts = np.bincount(idx, minlength=len(bounds))[:len(bounds)].astype(float)
        for q in (0.5, 0.95, 0.99):
            value, is_open = histogram_quantile_prometheus(q, bounds, counts)
            entry = {'name': name, 'bounds': bounds, 'counts': floats(counts), 'q': q, 'value': value, 'open': is_open}
            ind = quantile_indices(int(round(counts.sum())), q, 0.95)
            if ind is not None:
                entry['ranks95'] = ind
                entry['lowerValue'] = rank_value(bounds, counts, ind['lower'])
                entry['upperValue'] = rank_value(bounds, counts, ind['upper'])
            cases.append(entry)
    return {'cases': cases}


def rank_value(bounds, counts, rank):
    total = float(np.sum(counts))
    value, is_open = histogram_quantile_prometheus(rank / total, bounds, counts)
    return {'value': value, 'open': is_open}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240605)
    write('normal.json', normal())
    write('special.json', special_functions())
    write('mann-whitney.json', {'cases': mann_whitney_cases(rng)})
    write('hodges-lehmann.json', {'cases': hodges_lehmann_cases(rng)})
    write('proportions.json', {'cases': proportion_cases()})
    write('chisquare.json', {'cases': chisquare_cases()})
    write('quantile-ci.json', quantile_cases(rng))
    write('brunner-munzel.json', brunner_munzel_cases(rng))
    write('mover-ratio.json', {'cases': mover_ratio_cases()})
    write('histogram-quantile.json', histogram_cases(rng))
    return 0


if __name__ == '__main__':
    sys.exit(main())
