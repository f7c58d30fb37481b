import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, REQUEST_CHANNELS, requests, type Channel } from '../../shared/contract';
import { accepts, payloadFor, VALID_EXAMPLES } from './support/payloads';
import { startFuzzRuntime, type FuzzRuntime } from './support/fuzz-runtime';
import { secretsIn } from './support/planted-secrets';

/**
 * docs/security.md figure: "IPC payload fuzzing (fast-check), per channel: ≥ 10,000 malformed payloads → 0 crashes,
 * 0 handler runs, 0 secrets returned". Payloads go through the `ipcMain.handle` function Electron calls for the
 * channel (main/electron/ipc.ts: the sender-frame check, then `registrar.dispatch`, which the browser host and the
 * CLI call too), in front of the real core (handlers wrapped by counting spies, secrets planted in an env var, the
 * keychain and the payloads themselves). The per-payload checks are plain comparisons, not `expect` (10,000 × 40
 * channels of matcher calls were most of the runtime); a failing one throws with the payload's channel and text.
 *
 * RAMPART_FUZZ_RUNS overrides the per-channel count (default 10,000, the figure); RAMPART_FUZZ_SEED replays a run.
 */
const RUNS = Number(process.env.RAMPART_FUZZ_RUNS ?? 10_000);
const SEED = process.env.RAMPART_FUZZ_SEED ? Number(process.env.RAMPART_FUZZ_SEED) : undefined;
const CODES = new Set<string>(ERROR_CODES);
/** Valid draws are dispatched too (they may run the handler: exactly once), up to this many per channel. */
const VALID_DISPATCH_CAP = 25;

let rt: FuzzRuntime;
const tally: Record<string, { malformed: number; valid: number; validDispatched: number; ms: number }> = {};

beforeAll(async () => {
  rt = await startFuzzRuntime();
});
afterAll(async () => {
  await rt?.close();
  const total = Object.values(tally).reduce((s, t) => s + t.malformed, 0);
  console.log(
    `[ipc-fuzz] ${total} malformed payloads over ${Object.keys(tally).length} channels:\n` +
      Object.entries(tally)
        .map(
          ([c, t]) =>
            `  ${c.padEnd(22)} ${t.malformed} malformed; ${t.valid} valid draws (${t.validDispatched} dispatched); ${t.ms} ms`,
        )
        .join('\n'),
  );
});

/** What is wrong with an envelope, or null: `{result}` xor `{error: {code, message}}` with a known code, JSON-able. */
function envelopeProblem(envelope: unknown): { problem: string | null; text: string } {
  if (typeof envelope !== 'object' || envelope === null)
    return { problem: `not an object: ${String(envelope)}`, text: '' };
  const e = envelope as Record<string, unknown>;
  if ('result' in e === 'error' in e)
    return { problem: `neither or both of result/error: ${Object.keys(e).join(',')}`, text: '' };
  if ('error' in e) {
    const err = e.error as { code?: unknown; message?: unknown } | null;
    if (!err || !CODES.has(String(err.code)) || typeof err.message !== 'string')
      return { problem: `malformed error ${JSON.stringify(err)?.slice(0, 200)}`, text: '' };
  }
  let text: string;
  try {
    text = JSON.stringify(envelope);
  } catch (x) {
    return { problem: `cannot be serialized: ${(x as Error).message}`, text: '' };
  }
  return { problem: null, text };
}

/** Throws (failing the property) with the channel and what was wrong. */
function check(ok: boolean, channel: string, what: string): void {
  if (!ok) throw new Error(`${channel}: ${what}`);
}

function assertEnvelope(envelope: unknown): string {
  const { problem, text } = envelopeProblem(envelope);
  expect(problem).toBeNull();
  return text;
}

describe('IPC payload fuzzing through registrar.dispatch', () => {
  it('covers every request channel in the contract', () => {
    expect(Object.keys(VALID_EXAMPLES).sort()).toEqual([...REQUEST_CHANNELS].sort());
    expect(rt.registrar.channels.sort()).toEqual(Object.keys(requests).sort());
  });

  // The negative result (0 runs) means something only if a run WOULD be seen: valid payloads reach the spy once each.
  it('runs the handler exactly once for each valid example, and returns no secret', async () => {
    for (const channel of REQUEST_CHANNELS) {
      expect(accepts(channel, VALID_EXAMPLES[channel]), `${channel} example must be valid`).toBe(true);
      const before = rt.calls[channel];
      const envelope = await rt.ipc(channel, VALID_EXAMPLES[channel]);
      expect(rt.calls[channel], channel).toBe(before + 1);
      expect(secretsIn(assertEnvelope(envelope)), channel).toEqual([]);
    }
    // And the real core behind the spies really used the planted env-var token: the fake Unleash saw it.
    expect(
      rt.unleash.requests.some((r) => r.headers.authorization !== undefined && r.path.startsWith('/api/admin/')),
    ).toBe(true);
  });

  for (const channel of REQUEST_CHANNELS) {
    it(`${channel}: ${RUNS} malformed payloads → 0 crashes, 0 handler runs, 0 secrets returned`, async () => {
      const started = Date.now();
      const before = rt.calls[channel];
      let malformed = 0;
      let valid = 0;
      let validDispatched = 0;
      await fc.assert(
        fc.asyncProperty(payloadFor(channel), async (payload) => {
          const callsBefore = rt.calls[channel];
          if (accepts(channel, payload)) {
            // Valid: may run its handler — exactly once — and must still answer an envelope without secrets.
            // It does not count toward the malformed figure (fc.pre sets it aside).
            valid++;
            if (validDispatched < VALID_DISPATCH_CAP) {
              validDispatched++;
              const { problem, text } = envelopeProblem(await rt.ipc(channel, payload));
              check(problem === null, channel, `valid payload answered ${problem}`);
              check(secretsIn(text).length === 0, channel, `a secret in the answer: ${text.slice(0, 200)}`);
              check(
                rt.calls[channel] === callsBefore + 1,
                channel,
                'a valid payload did not run the handler exactly once',
              );
            }
            fc.pre(false);
          }
          malformed++;
          // A crash is a rejected promise or a throw: either fails the property.
          const envelope = await rt.ipc(channel, payload);
          const { problem, text } = envelopeProblem(envelope);
          check(problem === null, channel, `malformed payload answered ${problem}`);
          check(
            (envelope as { error?: { code: string } }).error?.code === 'bad_request',
            channel,
            `malformed payload answered ${text.slice(0, 200)}`,
          );
          check(secretsIn(text).length === 0, channel, `a secret in the answer: ${text.slice(0, 200)}`);
          check(rt.calls[channel] === callsBefore, channel, 'a malformed payload ran the handler');
        }),
        { numRuns: RUNS, seed: SEED, maxSkipsPerRun: 1000 },
      );
      tally[channel] = { malformed, valid, validDispatched, ms: Date.now() - started };
      expect(malformed).toBeGreaterThanOrEqual(RUNS);
      // Every handler run is accounted for by a valid payload: none by a malformed one.
      expect(rt.calls[channel]).toBe(before + validDispatched);
    }, 120_000);
  }

  it('leaves Object.prototype and Array.prototype unpolluted', () => {
    const probe = {} as Record<string, unknown>;
    for (const key of ['polluted', 'isAdmin']) {
      expect(probe[key]).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>)[key]).toBeUndefined();
    }
    expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
