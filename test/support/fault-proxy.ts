import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on loopback between an adapter and a REAL vendor server (Unleash, Prometheus), for the faults a real
 * server will not produce on demand: an answer that is not the vendor's shape, an error body that echoes the
 * request's credentials, a write that is applied but whose answer never arrives. Everything else is forwarded as
 * it is. Faults are one-shot by default and matched by method and path, like the fake servers' `inject`.
 */

export type ProxyFault =
  /** Answer 200 (or `status`) with this raw body instead of forwarding (a body the client cannot use). */
  | { kind: 'malformed'; body: string; status?: number; contentType?: string }
  /** Answer `status` with a JSON error that quotes every request header back, credentials included; not forwarded. */
  | { kind: 'echo-headers'; status: number }
  /** Forward, let the server apply it, then cut the connection instead of answering (a lost answer). */
  | { kind: 'lose-answer' };

export interface ProxyInjection {
  /** 'read' = GET/HEAD, 'write' = anything else, or an exact method. Absent: any. */
  method?: 'read' | 'write' | string;
  /** Pattern tested against the path (without the query). Absent: any. */
  path?: RegExp;
  times?: number;
  fault: ProxyFault;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  status?: number;
  fault?: ProxyFault['kind'];
}

export interface FaultProxy {
  url: string;
  requests: ProxiedRequest[];
  /** Resolves when a `lose-answer` request has been applied upstream (its answer dropped). */
  inject(injection: ProxyInjection): { applied: Promise<void> };
  clearInjections(): void;
  close(): Promise<void>;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function forward(upstream: URL, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request(
      { host: upstream.hostname, port: upstream.port, method, path, headers: { ...headers, host: upstream.host } },
      (res) => {
        readAll(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function methodMatches(want: string | undefined, method: string): boolean {
  if (want === undefined) return true;
  if (want === 'read') return method === 'GET' || method === 'HEAD';
  if (want === 'write') return method !== 'GET' && method !== 'HEAD';
  return want.toUpperCase() === method;
}

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const requests: ProxiedRequest[] = [];
  const slots: { inj: ProxyInjection; left: number; applied: () => void }[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const method = (req.method ?? 'GET').toUpperCase();
      const path = req.url ?? '/';
      const rec: ProxiedRequest = { method, path: new URL(path, upstream).pathname };
      requests.push(rec);
      try {
        const body = await readAll(req);
        const slot = slots.find(
          (s) => s.left > 0 && methodMatches(s.inj.method, method) && (!s.inj.path || s.inj.path.test(rec.path)),
        );
        if (slot) slot.left--;
        const fault = slot?.inj.fault;
        rec.fault = fault?.kind;
        if (fault?.kind === 'malformed') {
          rec.status = fault.status ?? 200;
          res.writeHead(rec.status, { 'content-type': fault.contentType ?? 'application/json' }).end(fault.body);
          return;
        }
        if (fault?.kind === 'echo-headers') {
          rec.status = fault.status;
          const quoted = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`);
          const text = `request refused; you sent ${quoted.join('; ')}`;
          // Every field a client might show: message (Unleash, LaunchDarkly), error (Prometheus), detail, errors.
          const payload = {
            status: 'error',
            errorType: 'bad_data',
            error: text,
            message: text,
            detail: text,
            errors: [text],
            details: [{ message: text }],
          };
          res.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
          return;
        }
        const answer = await forward(upstream, method, path, req.headers, body);
        rec.status = answer.status;
        if (fault?.kind === 'lose-answer') {
          req.socket.destroy();
          slot?.applied();
          return;
        }
        const headers = { ...answer.headers };
        delete headers['transfer-encoding'];
        headers['content-length'] = String(answer.body.length);
        res.writeHead(answer.status, headers).end(answer.body);
      } catch (e) {
        rec.status = 502;
        if (!res.headersSent)
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`fault proxy: ${(e as Error).message}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject(inj) {
      let applied!: () => void;
      const done = new Promise<void>((r) => (applied = r));
      slots.push({ inj, left: inj.times ?? 1, applied });
      return { applied: done };
    },
    clearInjections: () => void (slots.length = 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets from fetch would hold close() open
      }),
  };
}
