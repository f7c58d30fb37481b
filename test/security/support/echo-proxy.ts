import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A vendor that echoes what it is sent (docs/security.md: "secrets planted in echoing fake vendors"): a proxy in
 * front of a fake vendor that copies every request header and the query string into its answers — into the names
 * and descriptions of whatever the vendor lists (a flag's name, a series' labels), an `echo` field, a response
 * header, and, in 'error' mode, into error bodies in every shape the adapters read (message, error, detail, errors).
 * A Basic credential is echoed decoded too. So every credential an adapter sends comes straight back.
 */
export type EchoMode = 'echo' | 'error';

export interface EchoProxy {
  url: string;
  mode: EchoMode;
  /** Header values of every request it saw (to prove the secrets really travelled). */
  seen: string[];
  /** How many answers carried an echo. */
  echoed: number;
  stop(): Promise<void>;
}

const SKIP = new Set(['host', 'connection', 'content-length', 'accept-encoding', 'transfer-encoding']);
/** Free-text fields a vendor shows back. A `name` is echoed only beside a `key` (elsewhere the name IS the key). */
const NAMED = new Set(['description', 'displayName', 'title', 'label', 'text', 'comment', 'message']);

/** What a careless vendor repeats: every header as name=value, a Basic credential decoded, and the query. */
function echoOf(req: http.IncomingMessage, url: URL): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(req.headers)) {
    if (SKIP.has(k) || v === undefined) continue;
    const value = Array.isArray(v) ? v.join(',') : v;
    parts.push(`${k}=${value}`);
    const basic = /^Basic\s+(\S+)$/i.exec(value);
    if (basic) parts.push(`decoded=${Buffer.from(basic[1], 'base64').toString('utf8')}`);
  }
  if (url.search) parts.push(`query=${url.search.slice(1)}`);
  return parts.join('; ');
}

function echoInto(value: unknown, echo: string, depth = 0): unknown {
  if (depth > 30 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => echoInto(v, echo, depth + 1));
  const out: Record<string, unknown> = {};
  const hasKey = 'key' in value;
  for (const [k, v] of Object.entries(value)) {
    const free = NAMED.has(k) || (k === 'name' && hasKey);
    out[k] =
      typeof v === 'string' && free
        ? `${v} (${echo})`
        : k === 'description' && v === null
          ? echo
          : echoInto(v, echo, depth + 1);
    // Prometheus series: a label carrying the echo.
    if (k === 'metric' && v && typeof v === 'object' && !Array.isArray(v)) out[k] = { ...(v as object), echo };
    // Datadog series: a tag carrying the echo.
    if (k === 'tag_set' && Array.isArray(v)) out[k] = [...v, `echo:${echo}`];
  }
  if (depth === 0) out.echo = echo;
  return out;
}

export async function startEchoProxy(upstream: string, local: Record<string, unknown> = {}): Promise<EchoProxy> {
  const proxy: EchoProxy = { url: '', mode: 'echo', seen: [], echoed: 0, stop: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://echo.invalid');
        for (const v of Object.values(req.headers))
          if (v !== undefined) proxy.seen.push(Array.isArray(v) ? v.join(',') : v);
        const echo = echoOf(req, url);
        const headers = { 'content-type': 'application/json', 'x-echo': echo.replace(/[^\x20-\x7e]/g, '?') };
        proxy.echoed++;
        if (proxy.mode === 'error') {
          const status = req.method === 'GET' ? 400 : 422;
          res.writeHead(status, headers).end(
            JSON.stringify({
              message: `rejected, you sent ${echo}`,
              error: echo,
              detail: echo,
              errors: [echo],
              errorType: 'bad_data',
              echo,
            }),
          );
          return;
        }
        if (url.pathname in local) {
          res.writeHead(200, headers).end(JSON.stringify(echoInto(local[url.pathname], echo)));
          return;
        }
        const forward: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (!SKIP.has(k) && v !== undefined) forward[k] = Array.isArray(v) ? v.join(',') : v;
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const answer = await fetch(`${upstream}${url.pathname}${url.search}`, {
          method: req.method,
          headers: forward,
          body,
        });
        const text = await answer.text();
        let out = text;
        try {
          out = JSON.stringify(echoInto(JSON.parse(text), echo));
        } catch {
          // not JSON: passed through as it was
        }
        res
          .writeHead(answer.status, {
            ...headers,
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          })
          .end(out);
      })().catch((e: unknown) => {
        if (!res.headersSent)
          res
            .writeHead(502, { 'content-type': 'application/json' })
            .end(JSON.stringify({ message: `echo proxy: ${(e as Error).message}` }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return proxy;
}
