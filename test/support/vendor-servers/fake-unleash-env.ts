import { featureBody, rolloutStrategy } from '../../flags/unleash/fixtures';
import { fakeUnleash, type RecordedCall } from './fake-unleash';

/**
 * One Unleash environment that behaves like 6.10.1 for the calls a ramp and a rollback make: strategies change
 * under JSON Patch, on/off, POST; every change is an event (preData/data, createdBy, createdAt in the SERVER's
 * clock, which may be skewed from Rampart's); the search endpoint answers newest first, with a `Date` header.
 * `someone(...)` changes the state as another actor would, with its own event.
 */
export const FEATURE = '/api/admin/projects/default/features/checkout-v2';
export const ENV = `${FEATURE}/environments/production`;
export const STRATEGY_ID = rolloutStrategy('5').id;
export const STRATEGY = `${ENV}/strategies/${STRATEGY_ID}`;

type Strategy = ReturnType<typeof rolloutStrategy> & Record<string, unknown>;
interface Event {
  id: number;
  type: string;
  createdAt: string;
  createdBy: string;
  featureName: string;
  project: string;
  environment: string;
  preData: unknown;
  data: unknown;
}

export function fakeUnleashEnv(opts: { strategies?: Strategy[]; enabled?: boolean; skewMs?: number } = {}) {
  const fake = fakeUnleash();
  let localNow = 1_772_000_000_000; // Rampart's clock; every request takes 5 ms
  const skewMs = opts.skewMs ?? 0;
  const serverNow = () => localNow + skewMs;
  fake.http.now = () => localNow;
  const tick = (ms = 5) => (localNow += ms);

  const state = {
    enabled: opts.enabled ?? true,
    strategies: (opts.strategies ?? [rolloutStrategy('5')]).map((s) => structuredClone(s)) as Strategy[],
  };
  const events: Event[] = [];
  let nextId = 100;
  const record = (type: string, createdBy: string, preData: unknown, data: unknown) =>
    events.push({
      id: nextId++,
      type,
      createdAt: new Date(serverNow()).toISOString(),
      createdBy,
      featureName: 'checkout-v2',
      project: 'default',
      environment: 'production',
      preData,
      data,
    });

  const patchStrategy = (
    id: string,
    ops: { op: string; path: string; value: unknown }[],
    actor: string,
  ): Strategy | undefined => {
    const i = state.strategies.findIndex((s) => s.id === id);
    if (i < 0) return undefined;
    const before = structuredClone(state.strategies[i]);
    const after = structuredClone(before);
    for (const op of ops) {
      const [, field, sub] = op.path.split('/');
      if (sub) (after[field] as Record<string, unknown>)[sub] = op.value;
      else after[field] = op.value;
    }
    state.strategies[i] = after;
    if (JSON.stringify(before) !== JSON.stringify(after)) record('feature-strategy-update', actor, before, after);
    return after;
  };
  const setEnabled = (on: boolean, actor: string) => {
    if (state.enabled !== on)
      record(on ? 'feature-environment-enabled' : 'feature-environment-disabled', actor, null, null);
    state.enabled = on;
  };

  const reply =
    (handler: (c: RecordedCall) => { status?: number; body?: unknown; headers?: Record<string, string> } | 'reset') =>
    (c: RecordedCall) => {
      tick();
      return handler(c);
    };
  fake.on(
    'GET',
    FEATURE,
    reply(() => ({ body: featureBody({ enabled: state.enabled, strategies: state.strategies }) })),
  );
  fake.on(
    'GET',
    ENV,
    reply(() => ({
      body: {
        name: 'production',
        environment: 'production',
        enabled: state.enabled,
        strategies: state.strategies,
        variants: [],
      },
    })),
  );
  fake.on(
    'POST',
    `${ENV}/on`,
    reply(() => (setEnabled(true, 'rampart-token'), { status: 200 })),
  );
  fake.on(
    'POST',
    `${ENV}/off`,
    reply(() => (setEnabled(false, 'rampart-token'), { status: 200 })),
  );
  fake.on(
    'POST',
    `${ENV}/strategies`,
    reply((c) => {
      const created = { ...(c.body as Strategy), id: `new-${nextId}`, sortOrder: state.strategies.length, title: null };
      state.strategies.push(created);
      record('feature-strategy-add', 'rampart-token', null, created);
      return { body: created };
    }),
  );
  const onPatch = (id: string) =>
    fake.on(
      'PATCH',
      `${ENV}/strategies/${id}`,
      reply((c) => {
        const after = patchStrategy(id, c.body as { op: string; path: string; value: unknown }[], 'rampart-token');
        return after ? { body: after } : { status: 404, body: { message: `Could not find strategy with id ${id}` } };
      }),
    );
  for (const s of state.strategies) onPatch(s.id);
  fake.on(
    'GET',
    '/api/admin/search/events',
    reply((c) => {
      const offset = Number(c.query.get('offset') ?? 0);
      const limit = Number(c.query.get('limit') ?? 50);
      const newest = [...events].reverse().slice(offset, offset + limit);
      return { body: { events: newest, total: events.length }, headers: { date: new Date(serverNow()).toUTCString() } };
    }),
  );

  return {
    fake,
    state,
    events,
    tick,
    now: () => localNow,
    /** Another actor's change, recorded as Unleash would (createdBy = its token name). */
    someone: {
      patch: (id: string, ops: { op: string; path: string; value: unknown }[], actor = 'alice') =>
        patchStrategy(id, ops, actor),
      setEnabled: (on: boolean, actor = 'alice') => setEnabled(on, actor),
      add: (s: Strategy, actor = 'alice') => {
        state.strategies.push(structuredClone(s));
        onPatch(s.id);
        record('feature-strategy-add', actor, null, s);
      },
    },
    onPatch,
  };
}
