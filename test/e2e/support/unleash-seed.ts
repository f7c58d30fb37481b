/**
 * A flag with some history, made through Unleash's own admin API as a person in the Unleash UI would: created,
 * a flexibleRollout at 5% in production with one variant named "on" (the value the Prometheus history carries in
 * its variant label, so the treatment arm lines up), turned on, then ramped to 25%.
 */
import type { RunningUnleash } from '../../components/unleash/harness';

type Strategy = { id: string; parameters: Record<string, string> };

const feature = (flag: string, env?: string): string =>
  `/api/admin/projects/default/features/${flag}${env ? `/environments/${env}` : ''}`;

export async function unleashAdmin<T = unknown>(
  unleash: RunningUnleash,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${unleash.url}${path}`, {
    method,
    headers: { authorization: unleash.token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Unleash admin ${method} ${path} → HTTP ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function seedUnleashFlag(unleash: RunningUnleash, flag: string): Promise<void> {
  await unleashAdmin(unleash, 'POST', '/api/admin/projects/default/features', {
    name: flag,
    description: 'Checkout flow v2 (e2e)',
    type: 'release',
  });
  const s = await unleashAdmin<Strategy>(unleash, 'POST', `${feature(flag, 'production')}/strategies`, {
    name: 'flexibleRollout',
    parameters: { rollout: '5', stickiness: 'default', groupId: flag },
    constraints: [],
    variants: [{ name: 'on', weight: 1000, weightType: 'variable', stickiness: 'default' }],
  });
  await unleashAdmin(unleash, 'POST', `${feature(flag, 'production')}/on`);
  await unleashAdmin(unleash, 'PATCH', `${feature(flag, 'production')}/strategies/${s.id}`, [
    { op: 'replace', path: '/parameters/rollout', value: '25' },
  ]);
}

/** The rollout parameter of the flag's (first) production strategy, as Unleash stores it: "50". */
export async function unleashRollout(unleash: RunningUnleash, flag: string): Promise<string | undefined> {
  const strategies = await unleashAdmin<Strategy[]>(unleash, 'GET', `${feature(flag, 'production')}/strategies`);
  return strategies[0]?.parameters.rollout;
}
