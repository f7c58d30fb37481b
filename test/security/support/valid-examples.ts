import type { Channel, RequestOf } from '../../../shared/contract';
import { PAYLOAD_SECRET } from './planted-secrets';

/**
 * A valid payload for every request channel of the contract (the IPC fuzz checks each against its schema and that
 * the list covers every channel). The malformed payloads of payloads.ts are these with one thing wrong, and the
 * echo test builds its watches from the watch example.
 */
const HOUR = 3_600_000;
const T = 1_760_000_000_000;

/** One watch for every channel that takes one (save and preview): valid as the contract's `Watch`. */
const EXAMPLE_WATCH: RequestOf<'watches:save'>['watch'] = {
  id: 'w1',
  flagConnectionId: 'demo-flags',
  flagKey: 'checkout-v2',
  env: 'production',
  metricsConnectionId: 'demo-metrics',
  selector: 'service="checkout"',
  variantLabel: 'feature_flag_result_variant',
  metrics: [
    {
      name: 'p99',
      kind: 'latency',
      unit: 'ms',
      query: 'histogram_quantile(0.99, rate(x[{{window}}]))',
      critical: true,
    },
  ],
  thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
};

export const VALID_EXAMPLES: { [C in Channel]: RequestOf<C> } = {
  'app:info': {},
  'app:setUser': { name: 'Alice Example' },
  'connections:list': {},
  'connections:save': {
    connection: {
      id: 'prod-unleash',
      name: 'Production Unleash',
      kind: 'unleash',
      url: 'https://unleash.example.com/api',
      tokenEnv: 'RAMPART_UNLEASH_TOKEN',
      project: 'default',
      rollbackMode: 'off',
    },
  },
  'connections:remove': { id: 'fuzz-unleash' },
  'connections:setSecret': { id: 'fuzz-unleash', which: 'token', secret: PAYLOAD_SECRET, allowPlaintext: false },
  'connections:test': { id: 'fuzz-unleash' },
  'flags:list': { connectionId: 'fuzz-unleash', search: 'checkout' },
  'flags:get': { connectionId: 'fuzz-unleash', flagKey: 'checkout-v2' },
  'flags:history': {
    connectionId: 'fuzz-unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    from: T - 24 * HOUR,
    to: T,
  },
  'flags:ramp': {
    connectionId: 'fuzz-unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    to: 25,
    expected: 10,
    comment: 'ramp to 25% after a clean hour',
    override: false,
  },
  'flags:rollback': {
    connectionId: 'fuzz-unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    comment: 'error rate doubled',
  },
  'watches:list': {},
  'watches:forFlag': { connectionId: 'demo-flags', flagKey: 'checkout-v2', env: 'production' },
  'watches:save': { watch: EXAMPLE_WATCH },
  'watches:remove': { id: 'w1' },
  'watches:preview': { watch: EXAMPLE_WATCH },
  'metrics:discover': { connectionId: 'demo-metrics', like: 'http' },
  'metrics:defaults': { connectionId: 'demo-metrics' },
  'metrics:range': {
    connectionId: 'demo-metrics',
    metric: 'p99',
    selector: 'service="checkout"',
    byVariant: true,
    from: T - HOUR,
    to: T,
    stepMs: 60_000,
  },
  'series:range': { watchId: 'demo-checkout-v2', from: T - HOUR, to: T, width: 800, metrics: ['p99'] },
  'series:view': {
    watchId: 'demo-checkout-v2',
    from: T - HOUR,
    to: T,
    width: 800,
    show: ['p99\u0000'],
    hide: ['p99\u0000off'],
  },
  'verdict:get': { watchId: 'demo-checkout-v2', baseline: 'pre', at: T },
  'decision:get': { watchId: 'demo-checkout-v2' },
  'incident:analyze': { watchId: 'demo-checkout-v2', metric: 'p99', from: T - HOUR, to: T },
  'incident:scan': { from: T - HOUR, to: T },
  'audit:list': { limit: 50, flagKey: 'checkout-v2', connectionId: 'fuzz-unleash' },
  'judge:run': {
    confidence: 0.98,
    metrics: [
      { name: 'p99', kind: 'latency', baseline: [120, 118, 125, 130], canary: [121, 119, 127, null] },
      { name: 'errors', kind: 'errors', baseline: { errors: 3, total: 1000 }, canary: { errors: 4, total: 1000 } },
    ],
  },
  'plans:list': {
    active: true,
    connectionId: 'fuzz-unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    states: ['running'],
  },
  'plans:get': { planId: 'plan-fuzz' },
  'plans:forFlag': { connectionId: 'fuzz-unleash', flagKey: 'checkout-v2', env: 'production' },
  'plans:start': {
    connectionId: 'fuzz-unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    policy: {
      steps: [{ exposure: 1 }, { exposure: 50, approval: true }, { exposure: 100 }],
      bakeMs: 600_000,
      windows: [{ days: [1, 2, 3, 4], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' }],
    },
    comment: 'guarded rollout of the new checkout',
  },
  'plans:pause': { planId: 'plan-fuzz', comment: 'pausing for the release freeze' },
  'plans:resume': { planId: 'plan-fuzz', comment: 'freeze over' },
  'plans:approve': { planId: 'plan-fuzz', comment: 'p99 flat, approved' },
  'plans:abort': { planId: 'plan-fuzz', comment: 'errors climbing' },
  'plans:events': { planId: 'plan-fuzz' },
  'plans:export': { planId: 'plan-fuzz', format: 'markdown' },
  'plans:bands': {
    connectionId: 'fuzz-unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    from: T - 24 * HOUR,
    to: T,
  },
  'plans:policies': {},
  'plans:savePolicy': {
    name: 'business-hours',
    description: 'weekdays only',
    policy: { steps: [{ exposure: 5 }, { exposure: 100 }], bakeMs: 900_000 },
  },
  'plans:removePolicy': { name: 'business-hours' },
  'lifecycle:list': { staleDays: 30 },
  'lifecycle:settings': {},
  'lifecycle:saveSettings': { staleDays: { default: 45 }, reminder: { enabled: false } },
  'lifecycle:refs': { flagKeys: ['checkout-v2'] },
  'lifecycle:versions': { connectionId: 'fuzz-unleash', flagKey: 'checkout-v2', env: 'production' },
  'lifecycle:restore': {
    connectionId: 'fuzz-unleash',
    flagKey: 'checkout-v2',
    env: 'production',
    version: 1,
    comment: 'back to the state of last week',
  },
  'lifecycle:promotePreview': {
    flagKey: 'checkout-v2',
    from: { connectionId: 'fuzz-unleash', env: 'staging' },
    to: { connectionId: 'fuzz-unleash', env: 'production' },
  },
  'lifecycle:promote': {
    flagKey: 'checkout-v2',
    from: { connectionId: 'fuzz-unleash', env: 'staging' },
    to: { connectionId: 'fuzz-unleash', env: 'production' },
    comment: 'staging looked fine for a day',
  },
};
