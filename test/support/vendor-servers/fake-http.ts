import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The plumbing shared by the fake vendor servers: a node:http server on 127.0.0.1 (port 0), a log of every request
 * it received (so tests count side effects server-side), and a queue of injected faults. Vendor behaviour (state,
 * routes, validation) lives in the vendor modules; this file knows nothing about Flagsmith or LaunchDarkly.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  body: unknown;
  /** Server clock (epoch ms) when the request arrived. */
  at: number;
  /** What the server answered, or the injected fault that replaced the answer. */
  status?: number;
  fault?: Fault['kind'];
}

export type Fault =
  /** Answer with this status, body and headers instead of handling the request. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Wait, then handle the request normally (a slow vendor: the client may time out, the write may still land). */
  | { kind: 'delay'; ms: number }
  /** Destroy the socket without answering (a connection reset); the request is not handled. */
  | { kind: 'reset' }
  /** Handle the request (a write lands), then destroy the socket instead of answering: a vendor dying right after. */
  | { kind: 'apply-then-reset' }
  /** Answer with this raw text (a body the client cannot use). */
  | { kind: 'malformed'; body: string; status?: number; contentType?: string }
  /** Run `apply` (a concurrent edit by someone else), then handle the request normally. */
  | { kind: 'mutate'; apply: () => void };

export interface Injection {
  method?: string;
  /** Exact pathname, or a pattern tested against the pathname. Absent: every path. */
  path?: string | RegExp;
  /** How many matching requests the fault applies to; default 1. */
  times?: number;
  fault: Fault;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: RecordedRequest) => FakeResponse;

export interface FakeHttpServer {
  url: string;
  requests: RecordedRequest[];
  inject(injection: Injection): void;
  clearInjections(): void;
  stop(): Promise<void>;
}

function matches(inj: Injection, req: RecordedRequest): boolean {
  if (inj.method && inj.method.toUpperCase() !== req.method) return false;
  if (inj.path === undefined) return true;
  return typeof inj.path === 'string' ? inj.path === req.path : inj.path.test(req.path);
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(res: http.ServerResponse, r: FakeResponse): void {
  const headers: Record<string, string> = { ...r.headers };
  if (r.body === undefined) {
    res.writeHead(r.status, headers).end();
    return;
  }
  headers['content-type'] ??= 'application/json';
  res.writeHead(r.status, headers).end(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
}

export async function startFakeHttp(handler: Handler): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const injections: { inj: Injection; left: number }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const rec: RecordedRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
        at: Date.now(),
      };
      requests.push(rec);

      const slot = injections.find((s) => s.left > 0 && matches(s.inj, rec));
      if (slot) slot.left--;
      const fault = slot?.inj.fault;
      if (fault) rec.fault = fault.kind;

      const handle = (): void => {
        let answer: FakeResponse;
        try {
          answer = handler(rec);
        } catch (e) {
          answer = { status: 500, body: { message: `fake server bug: ${(e as Error).message}` } };
        }
        rec.status = answer.status;
        if (!res.destroyed) send(res, answer);
      };

      if (!fault) return handle();
      switch (fault.kind) {
        case 'status':
          rec.status = fault.status;
          return send(res, { status: fault.status, body: fault.body, headers: fault.headers });
        case 'malformed':
          rec.status = fault.status ?? 200;
          res.writeHead(rec.status, { 'content-type': fault.contentType ?? 'application/json' }).end(fault.body);
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'apply-then-reset':
          try {
            rec.status = handler(rec).status;
          } finally {
            req.socket.destroy();
          }
          return;
        case 'delay':
          setTimeout(handle, fault.ms);
          return;
        case 'mutate':
          fault.apply();
          return handle();
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject(injection) {
      injections.push({ inj: injection, left: injection.times ?? 1 });
    },
    clearInjections() {
      injections.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Route helper: matches `pattern` like '/api/v1/projects/:project/segments/:id/' against a pathname. */
export function route(pattern: string, pathname: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const a = pathname.split('/');
  if (p.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      if (a[i] === '') return undefined;
      params[p[i].slice(1)] = decodeURIComponent(a[i]);
    } else if (p[i] !== a[i]) return undefined;
  }
  return params;
}
