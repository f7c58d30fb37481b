import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_TYPES, SECURITY_HEADERS } from './csp';

/** Request bodies for /rpc; past this the door answers 413. */
export const MAX_BODY_BYTES = 1 << 20;
/** An oversized body is read (and dropped) up to here so the client gets its 413; past it the socket is closed. */
const DRAIN_LIMIT_BYTES = 16 << 20;

export function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

/** The contract's error envelope with an HTTP status: the transport reads the envelope, whatever the status. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
): void {
  send(res, status, JSON.stringify({ error: { code: 'bad_request', message } }), 'application/json', extra);
}

export type Body = { ok: true; text: string } | { ok: false; tooLarge: true };

/**
 * Reads a request body up to `limit` bytes. A larger body is reported as too large (a 413, never "malformed JSON"),
 * after reading and dropping it up to a drain limit so the client sees the answer instead of a reset.
 */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Body> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > DRAIN_LIMIT_BYTES) return { ok: false, tooLarge: true };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_LIMIT_BYTES) break;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) return { ok: false, tooLarge: true };
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/** Parses a JSON body; answers 413 / 400 with the envelope itself and returns undefined when it cannot. */
export async function readJson(
  req: IncomingMessage,
  res: ServerResponse,
  limit = MAX_BODY_BYTES,
): Promise<{ value: unknown } | undefined> {
  const body = await readBody(req, limit);
  if (!body.ok) {
    sendError(res, 413, `Request body over ${limit} bytes`, { Connection: 'close' });
    return undefined;
  }
  try {
    return { value: body.text.length ? (JSON.parse(body.text) as unknown) : {} };
  } catch (e) {
    sendError(res, 400, `Malformed JSON body: ${(e as Error).message.slice(0, 200)}`);
    return undefined;
  }
}

/**
 * The built renderer, served without a credential: it holds no secret (the data is behind /rpc), and the page must
 * load before it can trade its launch code for a session. Paths outside the folder are never served.
 */
export async function serveStatic(
  staticDir: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(res, 405, 'Method not allowed', undefined, { Allow: 'GET, HEAD' });
  const root = normalize(staticDir);
  const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  const file = join(root, rel === '' ? 'index.html' : rel);
  if (!file.startsWith(root + sep) || file.includes('\0')) return send(res, 404, 'Not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    // Client-side routes fall back to the app shell; a missing asset is a 404.
    if (extname(file) !== '') return send(res, 404, 'Not found');
    try {
      body = await readFile(join(root, 'index.html'));
    } catch {
      return send(res, 404, 'Not found: the renderer is not built (run `npm run build`)');
    }
    return sendFile(res, req, body, CONTENT_TYPES['.html']);
  }
  sendFile(res, req, body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
}

function sendFile(res: ServerResponse, req: IncomingMessage, body: Buffer, type: string): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
