import { z } from 'zod';
import {
  CodeRefsResult,
  FlagVersions,
  LifecycleRow,
  LifecycleSettings,
  PromotePreview,
  staleDays,
} from '../../domain/lifecycle';
import { PlanView } from '../../domain/plans';
import { Exposure } from '../../domain/flags';
import { RolloutResult } from './flags';
import { comment, envKey, flagKey } from './common';

/**
 * The flag lifecycle (issue 14): stages across every connection, code references in local folders, version history
 * with restore, and promote staging → production. Restore and promote are writes: a comment is required, and they go
 * through the rollout service like a ramp (read-compare-write, audit, read-back).
 */
const point = z.object({ enabled: z.boolean(), exposure: Exposure });
const where = z.object({ connectionId: z.string().min(1).max(200), env: envKey });
const root = z.string().min(1).max(4096);

export const lifecycleRequests = {
  /** Every flag × environment with its stage; `staleDays` overrides every connection's threshold for this answer. */
  'lifecycle:list': {
    input: z.object({ connectionId: z.string().optional(), staleDays: staleDays.optional() }).strict(),
    output: z.object({ rows: z.array(LifecycleRow), generatedAt: z.number() }),
  },
  'lifecycle:settings': { input: z.object({}).strict(), output: LifecycleSettings },
  /** Thresholds (default, per connection), the reminder, and the source folders (absolute paths of folders that exist). */
  'lifecycle:saveSettings': {
    input: z
      .object({
        staleDays: z
          .object({ default: staleDays, byConnection: z.record(z.string().max(200), staleDays) })
          .partial()
          .strict()
          .optional(),
        reminder: z
          .object({
            enabled: z.boolean(),
            everyDays: z.number().int().min(1).max(90),
            targets: z.array(z.string().max(200)).max(50),
          })
          .partial()
          .strict()
          .optional(),
        codeRoots: z.array(root).max(20).optional(),
      })
      .strict(),
    output: LifecycleSettings,
  },
  /**
   * Where the flags' keys appear in the configured source folders (the CLI may name its own with --repo). Local:
   * git and the file system of this machine only.
   */
  'lifecycle:refs': {
    input: z
      .object({ flagKeys: z.array(flagKey).min(1).max(200), roots: z.array(root).min(1).max(20).optional() })
      .strict(),
    output: CodeRefsResult,
  },
  'lifecycle:versions': {
    input: z.object({ connectionId: z.string(), flagKey, env: envKey }).strict(),
    output: FlagVersions,
  },
  /** Restore a version's on/off and exposure; refused (and audited) when the store cannot express that state. */
  'lifecycle:restore': {
    input: z
      .object({
        connectionId: z.string(),
        flagKey,
        env: envKey,
        /** The number shown by lifecycle:versions, or the version's id. */
        version: z.union([z.number().int().min(1), z.string().min(1).max(400)]),
        /** The live state the person saw; a different live state is refused. */
        expected: point.optional(),
        comment,
        override: z.boolean().default(false),
      })
      .strict(),
    output: RolloutResult,
  },
  /** The review: both states side by side, what changes, the blast radius, and whether the same plan can start there. */
  'lifecycle:promotePreview': { input: z.object({ flagKey, from: where, to: where }).strict(), output: PromotePreview },
  'lifecycle:promote': {
    input: z
      .object({
        flagKey,
        from: where,
        to: where,
        /** 'state': copy on/off and exposure now; 'plan': start the source's plan in the target. */
        mode: z.enum(['state', 'plan']).default('state'),
        /** The states the person reviewed; either moving since is refused. */
        expected: z.object({ from: point, to: point }).optional(),
        comment,
        override: z.boolean().default(false),
      })
      .strict(),
    output: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('state'), result: RolloutResult }),
      z.object({ mode: z.literal('plan'), plan: PlanView }),
    ]),
  },
} as const;

export const lifecycleEvents = {
  /** The reminder found newly stale flags (weekly by default): a desktop notice. */
  'lifecycle:stale': z.object({
    at: z.number(),
    flags: z.array(z.object({ connectionId: z.string(), flagKey: z.string(), env: z.string(), reason: z.string() })),
  }),
} as const;
