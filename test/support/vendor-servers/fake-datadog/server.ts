import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FormulaError, evaluate, matchingParen, type FakeSeries, type FormulaValue } from './formula';
import { eventCreatedBody, v1QueryBody, v2TimeseriesBody } from './shapes';

/**
 * A local Datadog API for contract tests: node:http on 127.0.0.1, a free port, answering
 *   POST /api/v2/query/timeseries   (queries + formulas, from/to in ms, `to` exclusive)
 *   GET  /api/v1/query              (from/to in SECONDS, pointlist in ms, metric arithmetic)
 *   POST /api/v1/events             (202 + EventCreateResponse)
 *   GET  /api/v1/search?q=metrics:… (metric names of the defined queries that contain the text)
 * with the response shapes Datadog documents and its client's recorded cassettes show (see ./shapes.ts).
 * It checks DD-API-KEY / DD-APPLICATION-KEY, records every request, and can inject faults: 429 with the
 * X-RateLimit-* headers, 5xx, 400 `{"errors":[…]}`, and slow answers.
 */
export type Endpoint = 'timeseries' | 'query' | 'events' | 'search';

export interface Fault {
  endpoint?: Endpoint;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (with the fault, or normally when `status` is absent). */
  delayMs?: number;
  /** How many requests this fault applies to (default 1). */
  times?: number;
}

export interface RecordedRequest {
  endpoint: Endpoint | 'other';
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: number;
}

export interface FakeDatadog {
  url: string;
  apiKey: string;
  appKey: string;
  requests: RecordedRequest[];
  events: Array<Record<string, unknown>>;
  /** Data for one metric query string, as Datadog would answer it (exact string match). */
  define(query: string, series: FakeSeries[]): void;
  inject(fault: Fault): void;
  rateLimit(opts: { endpoint?: Endpoint; resetSec: number; times?: number }): void;
  close(): Promise<void>;
}

const METRIC_QUERY = /^[a-z0-9_]+:[A-Za-z0-9_.]+\{[^{}]*\}(?: by \{[^{}]*\})?(?:\.[a-z_]+\([^()]*\))*$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startFakeDatadog(opts: { apiKey?: string; appKey?: string } = {}): Promise<FakeDatadog> {
  const apiKey = opts.apiKey ?? 'fake-api-key-0123456789abcdef';
  const appKey = opts.appKey ?? 'fake-app-key-0123456789abcdef0123456789';
  const data = new Map<string, FakeSeries[]>();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const events: Array<Record<string, unknown>> = [];
  let nextEventId = 6327818702635911562n;

  const lookup = (query: string): FakeSeries[] => {
    const q = query.trim();
    const known = data.get(q);
    if (known) return known;
    if (!METRIC_QUERY.test(q)) throw new FormulaError(`Error parsing query: unable to parse ${q}`);
    return [];
  };
  const window = (list: FakeSeries[], fromMs: number, toMs: number, toInclusive: boolean): FakeSeries[] =>
    list.map((s) => ({
      tags: s.tags,
      points: s.points.filter(([t]) => t >= fromMs && (toInclusive ? t <= toMs : t < toMs)),
    }));

  function takeFault(endpoint: Endpoint): Fault | undefined {
    const i = faults.findIndex((f) => f.endpoint === undefined || f.endpoint === endpoint);
    if (i < 0) return undefined;
    const f = faults[i];
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  }

  function timeseries(body: unknown, res: ServerResponse): void {
    const attrs = (body as { data?: { type?: string; attributes?: Record<string, unknown> } })?.data;
    if (attrs?.type !== 'timeseries_request') {
      return send(res, 400, { errors: ['API input validation failed: Invalid type. Expected "timeseries_request".'] });
    }
    const a = attrs.attributes ?? {};
    const from = Number(a.from);
    const to = Number(a.to);
    // Milliseconds, not seconds: a value below 1e11 ms is before 1973, which no real query asks for.
    if (!(from > 1e11 && to > 1e11 && from < to)) {
      return send(res, 400, {
        errors: [
          `API input validation failed: from/to must be epoch milliseconds with from < to (got ${a.from}, ${a.to})`,
        ],
      });
    }
    const queries = (a.queries ?? []) as Array<{ data_source?: string; name?: string; query?: string }>;
    const formulas = (a.formulas ?? []) as Array<{ formula?: string }>;
    try {
      const byName = new Map<string, FakeSeries[]>();
      queries.forEach((q, i) => {
        if (q.data_source !== 'metrics') throw new FormulaError(`unsupported data_source ${q.data_source}`);
        byName.set(q.name ?? `query${i + 1}`, window(lookup(String(q.query)), from, to, false));
      });
      const nameReader = {
        read(text: string, i: number) {
          const m = /^[a-z][a-z0-9_]*/.exec(text.slice(i));
          if (!m || !byName.has(m[0])) return undefined;
          return { value: { kind: 'series', list: byName.get(m[0]) ?? [] } as FormulaValue, end: i + m[0].length };
        },
      };
      const results: FakeSeries[][] =
        formulas.length > 0
          ? formulas.map((f) => {
              const v = evaluate(String(f.formula), nameReader);
              if (v.kind !== 'series') throw new FormulaError('a formula must use at least one query');
              return v.list;
            })
          : [...byName.values()];
      send(res, 200, v2TimeseriesBody(results), { 'content-type': 'application/vnd.api+json' });
    } catch (e) {
      if (e instanceof FormulaError) return send(res, 400, { errors: [e.message] });
      throw e;
    }
  }

  function v1query(params: URLSearchParams, res: ServerResponse): void {
    const from = Number(params.get('from'));
    const to = Number(params.get('to'));
    const query = params.get('query') ?? '';
    if (!(from > 0 && from < 1e11 && to < 1e11 && from < to)) {
      return send(res, 400, {
        errors: [
          `Invalid from/to: they are epoch SECONDS with from < to (got ${params.get('from')}, ${params.get('to')})`,
        ],
      });
    }
    // Atoms: a parenthesised metric query, or the whole text when it is one query.
    const atomReader = {
      read(text: string, i: number) {
        if (i === 0 && data.has(text.trim()))
          return { value: { kind: 'series', list: lookup(text) } as FormulaValue, end: text.length };
        if (text[i] !== '(') return undefined;
        const end = matchingParen(text, i);
        if (end < 0) return undefined;
        const inner = text.slice(i + 1, end - 1).trim();
        if (!data.has(inner) && !METRIC_QUERY.test(inner)) return undefined;
        return { value: { kind: 'series', list: lookup(inner) } as FormulaValue, end };
      },
    };
    try {
      const v = data.has(query.trim()) ? { kind: 'series' as const, list: lookup(query) } : evaluate(query, atomReader);
      if (v.kind !== 'series') throw new FormulaError(`Error parsing query: ${query} has no metric`);
      send(res, 200, v1QueryBody(query, from, to, window(v.list, from * 1000, to * 1000, true)));
    } catch (e) {
      if (e instanceof FormulaError) return send(res, 400, { errors: [e.message] });
      throw e;
    }
  }

  function createEvent(body: unknown, res: ServerResponse): void {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.title !== 'string' || typeof b.text !== 'string')
      return send(res, 400, { errors: ['title and text are required'] });
    const nowSec = Math.floor(Date.now() / 1000);
    const happened = typeof b.date_happened === 'number' ? b.date_happened : nowSec;
    if (happened < nowSec - 18 * 3600) return send(res, 400, { errors: ['Event too far in the past'] });
    const idStr = String(nextEventId++);
    events.push({ ...b, id_str: idStr });
    // The id is written as its full digits, as Datadog does: it does not fit in a double.
    send(res, 202, eventCreatedBody(idStr, { ...b, date_happened: happened }), { 'content-type': 'application/json' });
  }

  /** Datadog's metric search: `q=metrics:<text>` → names containing the text (here: of the defined queries). */
  function search(params: URLSearchParams, res: ServerResponse): void {
    const text = (params.get('q') ?? '').replace(/^metrics:/, '');
    const names = new Set(
      [...data.keys()]
        .map((q) => /^[a-z0-9_]+:([A-Za-z0-9_.]+)\{/.exec(q)?.[1])
        .filter((n): n is string => !!n && n.includes(text)),
    );
    send(res, 200, { results: { metrics: [...names] } });
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const endpoint: Endpoint | 'other' =
        url.pathname === '/api/v2/query/timeseries' && req.method === 'POST'
          ? 'timeseries'
          : url.pathname === '/api/v1/query' && req.method === 'GET'
            ? 'query'
            : url.pathname === '/api/v1/events' && req.method === 'POST'
              ? 'events'
              : url.pathname === '/api/v1/search' && req.method === 'GET'
                ? 'search'
                : 'other';
      const body = await readJson(req);
      requests.push({
        endpoint,
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: { ...req.headers },
        body,
        at: Date.now(),
      });
      if (endpoint === 'other') return send(res, 404, { errors: ['Not found'] });

      const needsAppKey = endpoint !== 'events';
      if (req.headers['dd-api-key'] !== apiKey || (needsAppKey && req.headers['dd-application-key'] !== appKey)) {
        return send(res, 403, { errors: ['Forbidden'] });
      }
      const fault = takeFault(endpoint);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (res.destroyed) return;
      if (fault?.status)
        return send(res, fault.status, fault.body ?? { errors: [`injected HTTP ${fault.status}`] }, fault.headers);

      if (endpoint === 'timeseries') return timeseries(body, res);
      if (endpoint === 'query') return v1query(url.searchParams, res);
      if (endpoint === 'search') return search(url.searchParams, res);
      return createEvent(body, res);
    } catch (e) {
      send(res, 500, { errors: [`fake Datadog bug: ${e instanceof Error ? e.message : String(e)}`] });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    appKey,
    requests,
    events,
    define: (query, series) => void data.set(query.trim(), series),
    inject: (fault) => void faults.push({ ...fault }),
    rateLimit: ({ endpoint, resetSec, times }) =>
      void faults.push({
        endpoint,
        times,
        status: 429,
        headers: {
          'X-RateLimit-Limit': '100',
          'X-RateLimit-Period': '60',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(resetSec),
          'X-RateLimit-Name': 'metrics_query',
        },
        body: { errors: ['Rate limit of 100 requests in 60 seconds reached. Please try again later.'] },
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
