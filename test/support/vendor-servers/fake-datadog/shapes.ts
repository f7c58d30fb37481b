import type { FakeSeries } from './formula';

/**
 * Response bodies in Datadog's documented shapes. The field sets and wire names follow the API reference
 * (docs.datadoghq.com/api/latest/metrics/…) and the responses recorded by Datadog's own TypeScript client
 * (DataDog/datadog-api-client-typescript `cassettes/v2/Metrics_2046978582/Timeseries-cross-product-query-returns-OK-response_*`,
 * `cassettes/v1/Metrics_2046978582/Query-timeseries-points-returns-OK-response_*`,
 * `cassettes/v1/Events_3416228/Post-an-event-returns-OK-response_*`).
 */

/** v2: `{data:{id, type:"timeseries_response", attributes:{series:[{group_tags, query_index, unit}], times, values}}}`. */
export function v2TimeseriesBody(resultsPerFormula: FakeSeries[][]): unknown {
  const all = resultsPerFormula.flatMap((list, formulaIndex) => list.map((s) => ({ s, formulaIndex })));
  const times = [...new Set(all.flatMap(({ s }) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  return {
    data: {
      id: '0',
      type: 'timeseries_response',
      attributes: {
        series: all.map(({ s, formulaIndex }) => ({ group_tags: s.tags, query_index: formulaIndex, unit: null })),
        times,
        values: all.map(({ s }) => {
          const byTime = new Map(s.points);
          return times.map((t) => byTime.get(t) ?? null);
        }),
      },
    },
  };
}

/** v1: MetricsQueryResponse with snake_case wire names; from/to answered back in ms. */
export function v1QueryBody(query: string, fromSec: number, toSec: number, series: FakeSeries[]): unknown {
  const metric = /^[a-z0-9_]+:([A-Za-z0-9_.]+)/.exec(query.replace(/^[\s(\d.*/+-]+/, ''))?.[1] ?? query;
  return {
    status: 'ok',
    resp_version: 1,
    res_type: 'time_series',
    query,
    from_date: fromSec * 1000,
    to_date: toSec * 1000,
    group_by: [...new Set(series.flatMap((s) => s.tags.map((t) => t.split(':')[0])))],
    message: '',
    times: [],
    values: [],
    series: series.map((s) => {
      const first = s.points[0]?.[0] ?? fromSec * 1000;
      const last = s.points[s.points.length - 1]?.[0] ?? toSec * 1000;
      return {
        metric,
        display_name: metric,
        expression: query,
        scope: s.tags.length > 0 ? s.tags.join(',') : '*',
        tag_set: s.tags,
        aggr: null,
        attributes: {},
        query_index: 0,
        interval: s.points.length > 1 ? Math.round((s.points[1][0] - s.points[0][0]) / 1000) : 60,
        length: s.points.length,
        start: first,
        end: last,
        pointlist: s.points,
        unit: null,
      };
    }),
  };
}

/** EventCreateResponse as a JSON TEXT, so `id` keeps all its digits (as in the recorded cassette). */
export function eventCreatedBody(idStr: string, b: Record<string, unknown>): string {
  const event = {
    id: 0,
    id_str: idStr,
    title: b.title,
    text: b.text,
    date_happened: b.date_happened,
    handle: null,
    priority: b.priority ?? null,
    related_event_id: null,
    tags: b.tags ?? [],
    url: `https://app.datadoghq.com/event/event?id=${idStr}`,
  };
  return JSON.stringify({ status: 'ok', event }).replace('"id":0', `"id":${idStr}`);
}
