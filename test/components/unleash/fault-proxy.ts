import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A proxy in front of a real Unleash for the kill-switch proofs of issue 9 (F7): until the first write (any request
 * that is not a GET) has passed, every read of a flag (`GET …/features/<flag>`) is held past the client's timeout
 * (`slow`) or answered 200 with a truncated JSON body (`badjson`); writes pass at once. From the first write on,
 * everything passes: the pre-read is the read that fails, the read-back after the write answers. It counts every
 * request by method and path, so a test can count the reads of one ramp. Loopback only.
 */
export type FaultMode = 'pass' | 'slow' | 'badjson';

export interface FaultProxy {
  url: string;
  mode: FaultMode;
  /** Each request in order: `GET /api/admin/projects/default/features/x`, `POST …/off`. */
  log: string[];
  /** Reads of exactly this flag (`GET …/features/<flag>`, not its sub-paths). */
  flagReads(flag: string): number;
  writes(): string[];
  /** Arms the fault again for the next rollback. */
  rearm(mode: FaultMode): void;
  close(): Promise<void>;
}

const HOLD_MS = 11_000; // past the vendor client's 10 s timeout

export async function startFaultProxy(upstreamUrl: string, mode: FaultMode = 'pass'): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let armed = mode !== 'pass';
  const proxy = {
    mode,
    log: [] as string[],
    flagReads: (flag: string) =>
      proxy.log.filter((l) => l === `GET /api/admin/projects/default/features/${encodeURIComponent(flag)}`).length,
    writes: () => proxy.log.filter((l) => !l.startsWith('GET ')),
    rearm(m: FaultMode) {
      proxy.mode = m;
      armed = m !== 'pass';
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0];
      proxy.log.push(`${method} ${path}`);
      if (method !== 'GET') armed = false;
      const faulty = armed && method === 'GET' && /\/features\/[^/]+$/.test(path);
      if (faulty && proxy.mode === 'badjson') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"name":"x","environments":[{"name":"production","enabled":tru');
        return;
      }
      const send = () => {
        const p = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            path: req.url,
            method,
            headers: { ...req.headers, host: upstream.host },
          },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        p.on('error', () => res.destroy());
        p.end(Buffer.concat(chunks));
      };
      if (!faulty) return send();
      const t = setTimeout(() => {
        timers.delete(t);
        send();
      }, HOLD_MS);
      timers.add(t);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}
