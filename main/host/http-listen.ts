/**
 * Why the browser host could not listen, as one line naming the address and what to do (docs/security.md: a server
 * that cannot listen exits non-zero — it never keeps running without a socket).
 */
export class ListenError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

export function listenError(e: unknown, host: string, port: number): ListenError {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'UNKNOWN';
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new ListenError(
        `cannot listen on ${where}: port ${port} is already in use (EADDRINUSE) — pick another with --port, or --port 0 for a free one`,
        code,
      );
    case 'EACCES':
      return new ListenError(
        `cannot listen on ${where}: no permission to use port ${port} (EACCES) — ports below 1024 need privileges; use --port 0 for a free one`,
        code,
      );
    case 'EADDRNOTAVAIL':
      return new ListenError(`cannot listen on ${where}: this machine has no address ${host} (EADDRNOTAVAIL)`, code);
    default:
      return new ListenError(`cannot listen on ${where}: ${(e as Error)?.message ?? String(e)}`, code);
  }
}
