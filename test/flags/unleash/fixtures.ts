/**
 * Unleash 6.10.1 admin API bodies in the shapes a running 6.10.1 returns (recorded field for field from
 * GET /api/admin/search/events and GET /api/admin/projects/default/features/:name; ids, dates and names made up).
 */

export const rolloutStrategy = (rollout: string, extra: Record<string, unknown> = {}) => ({
  id: '008374c1-a911-4f63-a622-4df33d5056f3',
  name: 'flexibleRollout',
  title: null,
  disabled: false,
  constraints: [{ values: ['web'], operator: 'IN', contextName: 'appName' }],
  parameters: { groupId: 'checkout-v2', rollout, stickiness: 'default' },
  variants: [{ name: 'new', weight: 1000, stickiness: 'default', weightType: 'variable' }],
  sortOrder: 0,
  segments: [],
  ...extra,
});

const base = (id: number, type: string, createdAt: string, extra: Record<string, unknown> = {}) => ({
  id,
  type,
  createdBy: 'release-captain',
  createdAt,
  createdByUserId: 7,
  data: null,
  preData: null,
  tags: [],
  featureName: 'checkout-v2',
  project: 'default',
  environment: 'production',
  label: 'label from Unleash',
  summary: '**release-captain** did something',
  ...extra,
});

export const eventCreated = base(7, 'feature-created', '2026-03-02T09:00:00.000Z', {
  environment: null,
  data: {
    name: 'checkout-v2',
    description: 'new checkout',
    type: 'release',
    project: 'default',
    stale: false,
    impressionData: false,
    archived: false,
  },
});
export const eventStrategyAdd = base(8, 'feature-strategy-add', '2026-03-02T09:01:00.000Z', {
  data: rolloutStrategy('5'),
});
export const eventEnabled = base(9, 'feature-environment-enabled', '2026-03-02T09:02:00.000Z');
export const eventRamp = base(10, 'feature-strategy-update', '2026-03-02T10:00:00.000Z', {
  preData: rolloutStrategy('5'),
  data: rolloutStrategy('25'),
});
export const eventConstraintsOnly = base(11, 'feature-strategy-update', '2026-03-02T10:30:00.000Z', {
  preData: rolloutStrategy('25'),
  data: rolloutStrategy('25', { constraints: [{ values: ['web', 'ios'], operator: 'IN', contextName: 'appName' }] }),
});
export const eventDisabled = base(12, 'feature-environment-disabled', '2026-03-02T11:00:00.000Z', {
  createdBy: 'rampart-token',
});
export const eventStrategyRemove = base(13, 'feature-strategy-remove', '2026-03-02T11:05:00.000Z', {
  preData: rolloutStrategy('25'),
});
export const eventArchived = base(14, 'feature-archived', '2026-03-02T12:00:00.000Z', { environment: null });
export const eventTagged = base(15, 'feature-tagged', '2026-03-02T12:01:00.000Z', {
  environment: null,
  data: { type: 'simple', value: 'x' },
});
export const eventPaused = base(16, 'feature-strategy-update', '2026-03-02T10:45:00.000Z', {
  preData: rolloutStrategy('25'),
  data: rolloutStrategy('25', { disabled: true }),
});
export const eventDefaultAdded = base(17, 'feature-strategy-add', '2026-03-02T09:01:30.000Z', {
  environment: 'development',
  data: {
    id: 'b1',
    name: 'default',
    title: null,
    disabled: false,
    constraints: [],
    parameters: {},
    variants: [],
    sortOrder: 0,
    segments: [],
  },
});

/** As GET /api/admin/projects/default/features/checkout-v2 answers (trimmed of UI-only fields). */
export const featureBody = (production: { enabled: boolean; strategies: unknown[] }) => ({
  environments: [
    {
      name: 'development',
      lastSeenAt: null,
      enabled: false,
      yes: 0,
      no: 0,
      type: 'development',
      sortOrder: 2,
      strategies: [],
    },
    { name: 'production', lastSeenAt: null, yes: 0, no: 0, type: 'production', sortOrder: 3, ...production },
  ],
  name: 'checkout-v2',
  impressionData: false,
  description: 'new checkout',
  project: 'default',
  stale: false,
  createdAt: '2026-03-02T09:00:00.000Z',
  type: 'release',
  variants: [],
  archived: false,
  dependencies: [],
  children: [],
  lifecycle: { stage: 'initial', enteredStageAt: '2026-03-02T09:00:00.000Z' },
});

export const projectEnvironmentsBody = {
  version: 1,
  environments: [
    { name: 'default', type: 'production', sortOrder: 1, enabled: false, protected: true, visible: false },
    { name: 'development', type: 'development', sortOrder: 2, enabled: true, protected: false, visible: true },
    { name: 'production', type: 'production', sortOrder: 3, enabled: true, protected: false, visible: true },
  ],
};
