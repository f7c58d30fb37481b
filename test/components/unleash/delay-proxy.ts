import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP proxy between the adapter and Unleash: it holds every request `delayMs` before forwarding it (added
 * latency on the way in; answers come straight back), and keeps the answers to event-log searches so a test can
 * tell which events the adapter could have seen. Loopback only; one upstream.
 */
export interface CapturedSearch {
  /** The `feature` filter of the search, e.g. `IS:race-3`. */
  feature: string | null;
  eventIds: number[];
}

export interface DelayProxy {
  url: string;
  delayMs: number;
  searches: CapturedSearch[];
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

function eventIdsOf(body: Buffer): number[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { events?: { id: number }[] };
    return (parsed.events ?? []).map((e) => e.id);
  } catch {
    return [];
  }
}

export async function startDelayProxy(upstreamUrl: string, delayMs = 0): Promise<DelayProxy> {
  const upstream = new URL(upstreamUrl);
  const proxy: Omit<DelayProxy, 'url' | 'close'> = { delayMs, searches: [] };
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readAll(req);
        if (proxy.delayMs > 0) await new Promise((r) => setTimeout(r, proxy.delayMs));
        const path = req.url ?? '/';
        const answer = await forward(upstream, req.method ?? 'GET', path, req.headers, body);
        const url = new URL(path, upstream);
        if (url.pathname === '/api/admin/search/events')
          proxy.searches.push({ feature: url.searchParams.get('feature'), eventIds: eventIdsOf(answer.body) });
        const headers = { ...answer.headers };
        delete headers['transfer-encoding'];
        headers['content-length'] = String(answer.body.length);
        res.writeHead(answer.status, headers);
        res.end(answer.body);
      } catch (e) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`delay proxy: ${(e as Error).message}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets from fetch would hold close() open
      }),
  });
}
