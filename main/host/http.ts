import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RampartError } from '../../shared/errors';
import type { EventBus, Registrar } from './registrar';
import { SECURITY_HEADERS } from './csp';
import {
  allowedHostsFor,
  bearerToken,
  createCredentials,
  LAUNCH_CODE_TTL_MS,
  originProblem,
  TICKET_TTL_MS,
} from './http-auth';
import { readJson, send, sendError, serveStatic } from './http-io';
import { listenError } from './http-listen';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** More event streams than any set of tabs needs; past it a stream is refused (503) rather than held open. */
const MAX_STREAMS = 64;
/** close(): connections are destroyed at once; past this the host stops waiting for the server to report it. */
const CLOSE_WAIT_MS = 3_000;

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
  /** The URL to open: its fragment carries a one-time launch code the page trades for a session, once. */
  launchUrl: string;
  /** A fresh one-time launch URL (another tab, or the first one spent), valid for a few minutes. */
  newLaunchUrl(): string;
  /** The per-launch token for scripts: `Authorization: Bearer <token>`, never in a URL. */
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The browser host (`rampart serve`): the same registrar as Electron IPC over `POST /rpc/<channel>`, push events
 * over Server-Sent Events at `/events`, and the built renderer. Loopback only unless asked; Host, Origin and
 * Sec-Fetch-Site checked on every request; every call carries `Authorization: Bearer` (the token, or a tab's session
 * from /auth/session); the event stream takes a single-use ticket instead (EventSource sends no headers). No cookie.
 */
export async function startHttpHost(o: HttpHostOptions): Promise<HttpHost> {
  const host = o.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !o.allowNonLoopback) {
    throw new RampartError(
      'bad_request',
      `Refusing to bind ${host}: the browser host serves loopback only unless --allow-remote is given`,
    );
  }
  const credentials = createCredentials({ token: o.token });
  let allowedHosts = new Set<string>();
  const streams = new Set<ServerResponse>();

  // The boundary: whatever a route throws becomes a 500 without the exception's text (it may name internals).
  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      console.error(
        `rampart serve: ${req.method} ${req.url?.slice(0, 100)} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
      if (!res.headersSent) sendError(res, 500, 'Internal error in the browser host');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const problem = originProblem(req, allowedHosts);
    if (problem) return send(res, 403, problem);
    const url = new URL(req.url ?? '/', 'http://localhost');
    // A credential in a URL ends up in history, logs and Referer: refused outright, never looked at.
    if (url.searchParams.has('token'))
      return send(res, 400, 'The token goes in an `Authorization: Bearer` header, never in a URL.');
    const authed = credentials.authenticates(bearerToken(req));
    const refuse = () =>
      send(
        res,
        401,
        'Missing or invalid credential: open a fresh launch link from `rampart serve`, or send `Authorization: Bearer <token>`.',
      );

    if (url.pathname.startsWith('/auth/')) {
      if (req.method !== 'POST') return send(res, 405, 'Use POST', undefined, { Allow: 'POST' });
      if (url.pathname === '/auth/session') {
        const body = await readJson(req, res, 4096);
        if (!body) return;
        const session = credentials.exchange((body.value as { code?: unknown } | null)?.code);
        if (!session)
          return send(
            res,
            401,
            'This launch link was already used or has expired: get a fresh one from `rampart serve`.',
          );
        return send(res, 200, JSON.stringify({ session }), 'application/json');
      }
      if (!authed) return refuse();
      if (url.pathname === '/auth/ticket')
        return send(
          res,
          200,
          JSON.stringify({ ticket: credentials.issueTicket(), expiresInMs: TICKET_TTL_MS }),
          'application/json',
        );
      if (url.pathname === '/auth/launch')
        return send(
          res,
          200,
          JSON.stringify({ launchUrl: launchUrlFor(credentials.issueLaunchCode(LAUNCH_CODE_TTL_MS)) }),
          'application/json',
        );
      return send(res, 404, 'Not found');
    }

    if (url.pathname.startsWith('/rpc/')) {
      if (!authed) return refuse();
      if (req.method !== 'POST') return send(res, 405, 'Use POST', undefined, { Allow: 'POST' });
      // JSON only: an HTML form cannot send it, which closes the classic CSRF path even before Origin checks.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return send(res, 415, 'Content-Type must be application/json');
      const body = await readJson(req, res);
      if (!body) return;
      const envelope = await o.registrar.dispatch(decodeURIComponent(url.pathname.slice(5)), body.value, {
        door: 'http',
      });
      return send(res, 200, JSON.stringify(envelope), 'application/json');
    }

    if (url.pathname === '/events') {
      if (!authed && !credentials.redeemTicket(url.searchParams.get('ticket'))) return refuse();
      if (req.method !== 'GET') return send(res, 405, 'Use GET', undefined, { Allow: 'GET' });
      if (streams.size >= MAX_STREAMS)
        return send(res, 503, 'Too many event streams', undefined, { 'Retry-After': '5' });
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      const drop = () => streams.delete(res);
      req.on('close', drop);
      res.on('error', drop); // a write to a socket the client just closed must not become an uncaught error
      return;
    }

    return serveStatic(o.staticDir, url.pathname, req, res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(listenError(e, host, o.port ?? 0)));
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = allowedHostsFor(host, port);
  server.on('error', (e) => console.error(`rampart serve: ${e.message}`));
  const shown = host.includes(':') ? `[${host}]` : host;
  const base = `http://${shown}:${port}/`;
  const launchUrlFor = (code: string) => `${base}#launch=${code}`;

  const unsubscribe = o.bus.subscribe((name, payload) => {
    let frame: string;
    try {
      frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    } catch {
      return; // a payload JSON cannot carry must not stop the core's emitter
    }
    for (const res of streams) if (!res.writableEnded) res.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const res of streams) if (!res.writableEnded) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  return {
    url: base,
    launchUrl: launchUrlFor(credentials.issueLaunchCode()),
    newLaunchUrl: () => launchUrlFor(credentials.issueLaunchCode(LAUNCH_CODE_TTL_MS)),
    token: credentials.token,
    port,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const res of streams) res.end();
      // Open connections (streams, keep-alive sockets, a request a hung handler never answers) are cut now.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await Promise.race([closed, new Promise<void>((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
    },
  };
}
