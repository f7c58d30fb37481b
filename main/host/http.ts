import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { EventBus, Registrar } from './registrar';
import { CONTENT_TYPES, SECURITY_HEADERS } from './csp';
import { allowedHostsFor, bearerToken, cookieToken, originProblem, TOKEN_COOKIE, tokenMatches } from './http-auth';

const MAX_BODY_BYTES = 1 << 20;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface HttpHostOptions {
  registrar: Registrar;
  bus: EventBus;
  /** The built renderer (out/renderer). */
  staticDir: string;
  host?: string;
  port?: number;
  /** Binding a non-loopback address exposes production write access: only when the user asks explicitly. */
  allowNonLoopback?: boolean;
  token?: string;
}

export interface HttpHost {
  url: string;
  /** The URL to open: carries the per-launch token once; the page then holds it in an HttpOnly cookie. */
  launchUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body over 1 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The browser host (`rampart serve`): the same registrar as Electron IPC over `POST /rpc/<channel>`, push events
 * over Server-Sent Events at `/events`, and the built renderer. Loopback only unless asked; a random per-launch
 * token on every request (cookie for the page, Bearer for scripts); Host and Origin checked on every request.
 */
export async function startHttpHost(o: HttpHostOptions): Promise<HttpHost> {
  const host = o.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !o.allowNonLoopback) throw new Error(`Refusing to bind ${host}: the browser host serves loopback only unless --allow-remote is given`);
  const token = o.token ?? randomBytes(32).toString('base64url');
  let allowedHosts = new Set<string>();
  const sse = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((e) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${e instanceof Error ? e.message : String(e)}`);
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const problem = originProblem(req, allowedHosts);
    if (problem) return send(res, 403, problem);
    const url = new URL(req.url ?? '/', 'http://localhost');

    // Opening the launch URL trades the token in the query for an HttpOnly, SameSite=Strict cookie.
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && queryToken !== null) {
      if (!tokenMatches(queryToken, token)) return send(res, 401, 'Invalid token: open the URL printed by `rampart serve`.');
      url.searchParams.delete('token');
      return send(res, 303, '', 'text/plain', {
        Location: url.pathname + (url.search || ''),
        'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    if (!tokenMatches(cookieToken(req) ?? bearerToken(req), token)) {
      return send(res, 401, 'Missing or invalid token: open the URL printed by `rampart serve` (it carries the token).');
    }

    if (url.pathname.startsWith('/rpc/')) {
      if (req.method !== 'POST') return send(res, 405, 'Use POST', 'text/plain', { Allow: 'POST' });
      // JSON only: an HTML form cannot send it, which closes the classic CSRF path even before Origin checks.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'Content-Type must be application/json');
      let payload: unknown;
      try {
        const text = await readBody(req);
        payload = text.length ? JSON.parse(text) : {};
      } catch (e) {
        return send(res, 200, JSON.stringify({ error: { code: 'bad_request', message: `Malformed JSON body: ${(e as Error).message}` } }), 'application/json');
      }
      const envelope = await o.registrar.dispatch(decodeURIComponent(url.pathname.slice(5)), payload, { door: 'http' });
      return send(res, 200, JSON.stringify(envelope), 'application/json');
    }

    if (url.pathname === '/events') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = join(o.staticDir, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(normalize(o.staticDir) + sep)) return send(res, 404, 'Not found');
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      // Client-side routes fall back to the app shell.
      if (extname(file) === '') return send(res, 200, await readFile(join(o.staticDir, 'index.html'), 'utf8'), CONTENT_TYPES['.html']);
      send(res, 404, 'Not found');
    }
  }

  const unsubscribe = o.bus.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const res of sse) res.write(': keep-alive\n\n');
  }, 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = allowedHostsFor(host, port);
  const shown = host.includes(':') ? `[${host}]` : host;
  const base = `http://${shown}:${port}/`;
  return {
    url: base,
    launchUrl: `${base}?token=${token}`,
    token,
    port,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const res of sse) res.end();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
