import { Agent, request } from 'node:http';
import { connect } from 'node:net';

/**
 * Raw HTTP for the door tests: node:http so the test sets Host and Origin exactly (fetch forbids forging Host),
 * and a bare socket for request lines no HTTP client will write.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(
  port: number,
  o: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent | false },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: o.method,
        path: o.path,
        headers: { host: `127.0.0.1:${port}`, ...o.headers },
        agent: o.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/**
 * Sends `head` (request line + headers, CRLF-separated, without the blank line) and an optional body on a fresh
 * socket; → the status line and body of the answer.
 */
export function rawRequestLine(port: number, head: string, body = ''): Promise<{ statusLine: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(`${head}\r\nConnection: close\r\n\r\n${body}`));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    socket.on('error', reject);
    socket.on('close', () => {
      const [headPart, ...rest] = data.split('\r\n\r\n');
      resolve({ statusLine: headPart.split('\r\n')[0] ?? '', body: rest.join('\r\n\r\n') });
    });
  });
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
