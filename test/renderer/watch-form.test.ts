import { describe, expect, it } from 'vitest';
import { Watch } from '../../shared/domain/metrics';
import { applySuggestion, formField, fromWatch, toWatch } from '../../renderer/src/views/watches/watch-form';

const watch = Watch.parse({
  id: 'w',
  flagConnectionId: 'unleash',
  flagKey: 'checkout-v2',
  env: 'production',
  metricsConnectionId: 'prom',
  selector: 'job="checkout"',
  arms: { treatment: ['on'], control: ['off', 'disabled'] },
  stepSec: 30,
  metrics: [
    {
      name: 'p99',
      kind: 'latency',
      unit: 'ms',
      query:
        'histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{{{selector}}}[{{window}}]))) * 1000',
      critical: true,
    },
  ],
});

describe('watch editor form', () => {
  it('round-trips a watch through the form', () => {
    expect(Watch.parse(toWatch(fromWatch(watch)))).toEqual(watch);
    const f = { ...fromWatch(watch), treatment: '', control: '', allowedIncrease: '1.25', stepSec: '' };
    const out = toWatch(f) as Record<string, unknown>;
    expect(out.arms).toBeUndefined(); // no values: the store's conventions decide
    expect((out.thresholds as Record<string, unknown>).allowedIncrease).toBe(1.25);
    expect(Watch.safeParse(out).success).toBe(false); // an empty step is named, not guessed
  });

  it('places schema issues on the form fields', () => {
    expect(formField('arms.control.0')).toBe('control');
    expect(formField('thresholds.confidence')).toBe('confidence');
    expect(formField('metrics.0.query')).toBe('metrics.0.query');
  });

  it('puts a "did you mean" metric name into the query, suffixes kept', () => {
    const q = watch.metrics[0].query;
    expect(applySuggestion(q, 'http_server_request_duration_bucket')).toBe(
      q.replace('http_server_request_duration_seconds_bucket', 'http_server_request_duration_bucket'),
    );
    expect(
      applySuggestion('sum(rate(http_server_duration_count{a="b"}[1m]))', 'http_server_request_duration_count'),
    ).toBe('sum(rate(http_server_request_duration_count{a="b"}[1m]))');
    expect(applySuggestion('up', 'http_server_request_duration_bucket')).toBe('up');
  });
});
