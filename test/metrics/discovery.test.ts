import { describe, expect, it } from 'vitest';
import {
  findRequestHistograms,
  metricNamesInQuery,
  metricStem,
  noSeriesMessage,
  suggestNames,
} from '../../main/metrics/discovery';
import { defaultMetricSpecs, renderQuery } from '../../main/metrics/templates';

const names = (...n: string[]) => n.map((name) => ({ name, type: null, unit: null, help: null }));

describe('metric discovery: the names OpenTelemetry exporters really write', () => {
  it('one stem for every spelling: unit suffix or not, dots or underscores, series suffix', () => {
    for (const n of [
      'http_server_request_duration_bucket',
      'http_server_request_duration_seconds_bucket',
      'http.server.request.duration',
      'http_server_request_duration_seconds_count',
    ]) {
      expect(metricStem(n).stem, n).toBe('http_server_request_duration');
    }
    expect(metricStem('http_server_duration_milliseconds_sum')).toEqual({ stem: 'http_server_duration', unit: 'ms' });
    expect(metricStem('http_server_request_duration_seconds_bucket').unit).toBe('s');
    expect(metricStem('http_server_request_duration_bucket').unit).toBeNull();
  });

  it("finds the request histogram under each exporter's name, current convention first, with its unit", () => {
    const found = findRequestHistograms(
      names(
        'up',
        'http_server_duration_milliseconds_bucket',
        'http_server_duration_milliseconds_count',
        'http_server_request_duration_bucket',
        'http_server_request_duration_count',
        'http_server_request_duration_sum',
        'target_info',
      ),
    );
    expect(found.map((f) => [f.base, f.unit])).toEqual([
      ['http_server_request_duration', 's'], // OpenTelemetry JS Prometheus exporter: no unit suffix, seconds by convention
      ['http_server_duration_milliseconds', 'ms'],
    ]);
    expect(found[0].form).toMatch(/no unit suffix/);
    expect(findRequestHistograms(names('http_server_request_duration_seconds_bucket'))[0]).toMatchObject({
      base: 'http_server_request_duration_seconds',
      unit: 's',
      form: 'with unit suffix _seconds',
    });
    // Datadog keeps the dotted name and calls it a distribution.
    expect(
      findRequestHistograms([{ name: 'http.server.duration', type: 'distribution', unit: null, help: null }])[0],
    ).toMatchObject({ base: 'http.server.duration', unit: 'ms' });
    // A gauge or counter of the same stem is not the histogram.
    expect(findRequestHistograms(names('http_server_request_duration_count'))).toEqual([]);
  });

  it('reads the metric names a query asks for: default templates (regex names), plain PromQL, Datadog', () => {
    const p99 = defaultMetricSpecs('prometheus').find((s) => s.name === 'p99')!;
    expect(metricNamesInQuery(renderQuery(p99, { selector: 'job="x"', byVariant: true }))).toEqual([
      'http_server_request_duration(_seconds)?_bucket',
    ]);
    expect(
      metricNamesInQuery('sum by (le) (rate(http_server_request_duration_bucket{job="a"}[60s])) / on() up'),
    ).toEqual(['http_server_request_duration_bucket']);
    expect(
      metricNamesInQuery('formula = 1000 * a; a = p99:http.server.request.duration{service:x} by {v}.rollup(60)'),
    ).toEqual(['http.server.request.duration']);
  });

  it('did you mean: a misspelt name, another unit suffix, or the default regex, points at what the provider has', () => {
    const have = [
      'http_server_request_duration_bucket',
      'http_server_request_duration_count',
      'http_server_request_duration_sum',
      'process_cpu_seconds_total',
      'up',
    ];
    expect(suggestNames('http_server_request_duraton_bucket', have)[0]).toBe('http_server_request_duration_bucket');
    expect(suggestNames('http_server_request_duration_seconds_bucket', have)[0]).toBe(
      'http_server_request_duration_bucket',
    );
    expect(suggestNames('http_server_request_duration(_seconds)?_bucket', have)[0]).toBe(
      'http_server_request_duration_bucket',
    );
    expect(suggestNames('totally_unrelated_metric', have)).toEqual([]);
  });

  it('an empty answer says "no series match X; did you mean Y?" instead of []', () => {
    const q = 'sum by (le) (increase(http_server_request_duraton_bucket{job="checkout"}[600s]))';
    const m = noSeriesMessage(q, ['http_server_request_duration_bucket', 'up']);
    expect(m.message).toBe(
      'no series match http_server_request_duraton_bucket; did you mean http_server_request_duration_bucket?',
    );
    expect(m.suggestions).toEqual(['http_server_request_duration_bucket']);
    expect(noSeriesMessage('up{job="x"}', []).message).toBe('no series match up (the provider has no metrics at all)');
  });
});
