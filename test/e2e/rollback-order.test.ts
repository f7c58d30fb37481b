import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeInput } from '../../shared/domain/verdict';
import { rpc, startHost, type RunningHost } from './support/browser-host';

/**
 * The host never blocks (issue 15): verdicts in flight — stateless looks at past moments of the demo's canary watch
 * (each queries the simulated service, reads and writes the series cache and runs the judge, on the core's worker
 * threads) and a judge:run near the door's body limit — then a rollback sent after all of them, through the real
 * browser host's HTTP door. The rollback's reply must arrive before every verdict's. Order, not time: how long
 * each takes is `npm run bench`'s business (bench/app).
 */
let host: RunningHost | undefined;

beforeAll(async () => {
  host = await startHost();
  // The demo is installed and its flags readable before the race starts.
  await rpc(host, 'flags:get', { connectionId: 'demo-flags', flagKey: 'checkout-v2', env: 'production' });
});

afterAll(async () => {
  await host?.stop();
});

/** Log-normal samples with few digits (the door takes 1 MiB), metric 2 regressed. */
function judgeInput(metrics: number, samples: number): JudgeInput {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const arm = (scale: number): number[] =>
    Array.from({ length: samples }, () => Math.round(Math.exp(4 + 0.4 * (rnd() + rnd() + rnd() - 1.5)) * scale));
  return {
    metrics: Array.from({ length: metrics }, (_, i) => ({
      name: `latency_${i}`,
      kind: 'latency' as const,
      baseline: arm(1),
      canary: arm(i === 2 ? 1.2 : 1),
    })),
  };
}

interface Reply {
  label: string;
  ok: boolean;
  detail: string;
}

function send(h: RunningHost, label: string, channel: string, payload: unknown, order: Reply[]): Promise<void> {
  return fetch(`${h.origin}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` },
    body: JSON.stringify(payload),
  })
    .then(async (res) => {
      const body = (await res.json()) as { result?: unknown; error?: { code: string; message: string } };
      order.push({
        label,
        ok: body.result !== undefined,
        detail: body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`,
      });
    })
    .catch((e: unknown) => {
      order.push({ label, ok: false, detail: String(e) });
    });
}

describe('a rollback while verdicts are computing', () => {
  it('is answered before the verdicts sent ahead of it', async () => {
    const h = host;
    if (!h) throw new Error('the host did not start');
    const order: Reply[] = [];
    const now = Date.now();
    const inFlight = [
      ...[1, 2, 3].map((hours) =>
        send(
          h,
          `verdict ${hours} h ago`,
          'verdict:get',
          { watchId: 'demo-checkout-v2', baseline: 'pre', at: now - hours * 3_600_000 },
          order,
        ),
      ),
      send(h, 'judge:run', 'judge:run', judgeInput(8, 6_000), order),
    ];
    // Sent after the verdicts' requests left: the event loop turns once so their bodies are written first.
    await new Promise((r) => setTimeout(r, 20));
    const rollback = send(
      h,
      'rollback',
      'flags:rollback',
      { connectionId: 'demo-flags', flagKey: 'checkout-v2', env: 'production', comment: 'order test rollback' },
      order,
    );
    await Promise.all([...inFlight, rollback]);
    const summary = order.map((r) => `${r.label} (${r.ok ? 'ok' : r.detail})`).join(' → ');
    for (const r of order) expect(r.ok, `${r.label} failed: ${summary}`).toBe(true);
    expect(order.map((r) => r.label)[0], `replies arrived in this order: ${summary}`).toBe('rollback');
    expect(order).toHaveLength(5);
  });
});
