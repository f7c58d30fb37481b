import { z } from 'zod';
import { Exposure } from './flags';

export const AUDIT_ACTIONS = ['ramp', 'rollback', 'enable', 'disable'] as const;

/** One action as the Audit view shows it: the intent row joined with its result row. */
export const AuditEntry = z.object({
  actionId: z.string(),
  at: z.number(),
  user: z.string(),
  connectionId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  from: z.object({ enabled: z.boolean().nullable(), exposure: Exposure }),
  to: z.object({ enabled: z.boolean().nullable(), exposure: Exposure }),
  comment: z.string(),
  /** pending: intent written, no result yet (crash or in flight); reconciled on start-up by reading the flag back. */
  result: z.enum(['pending', 'done', 'failed', 'reconciled-done', 'reconciled-failed']),
  error: z.string().nullable(),
  finishedAt: z.number().nullable(),
  override: z.boolean(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
