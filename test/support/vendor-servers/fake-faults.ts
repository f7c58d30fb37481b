import type { Injection, RecordedRequest } from './fake-http';

/** The fault plumbing the fake-server fixtures share (test/support/vendor-servers/fake-http.ts does the rest). */
export interface FakeLike {
  requests: RecordedRequest[];
  inject(injection: Injection): void;
}

/** How long a lost write answer is held, against the fixtures' 500 ms write deadline (a cold first write takes ≈100 ms). */
export const WRITE_DEADLINE_MS = 500;
const HELD_MS = 1_000;

/**
 * The next write matching `method`/`path` is applied, but its answer does not reach the adapter: `held` past the
 * adapter's write deadline (it sees a timeout), or `cut` right after the server applied it (a reset connection).
 * `applied` resolves once the fake has handled it (the request record gets its status when the handler ran).
 */
export function loseWriteAnswer(
  fake: FakeLike,
  method: string,
  path?: RegExp,
  how: 'held' | 'cut' = 'held',
): { applied: Promise<void> } {
  const before = fake.requests.length;
  const kind = how === 'held' ? 'delay' : 'apply-then-reset';
  fake.inject({
    method,
    ...(path ? { path } : {}),
    fault: how === 'held' ? { kind: 'delay', ms: HELD_MS } : { kind: 'apply-then-reset' },
  });
  const applied = new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const look = () => {
      const held = fake.requests.slice(before).find((r) => r.fault === kind);
      if (held?.status !== undefined) return resolve();
      if (Date.now() > deadline) return reject(new Error(`the held ${method} was never applied`));
      setTimeout(look, 20);
    };
    look();
  });
  return { applied };
}

/** The next answer is a 400 whose body quotes the credentials the request carried (as a careless vendor would). */
export function echoCredentials(fake: FakeLike, sent: readonly string[], field: 'message' | 'detail'): void {
  const text = `request refused; credentials seen: ${sent.join(', ')}`;
  fake.inject({
    fault: { kind: 'status', status: 400, body: { code: 'invalid_request', [field]: text, errors: [text] } },
  });
}

/** The next GET is answered 200 with `body` (any body: not JSON, the wrong shape, empty). */
export function malformNextGet(fake: FakeLike, body: string): void {
  fake.inject({ method: 'GET', fault: { kind: 'malformed', body } });
}
