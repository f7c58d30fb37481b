import { z } from 'zod';
import { AuditEntry } from '../../domain/audit';
import { flagKey } from './common';

export const auditRequests = {
  'audit:list': {
    input: z.object({
      limit: z.number().int().min(1).max(5000).default(200),
      flagKey: flagKey.optional(),
      connectionId: z.string().optional(),
    }),
    output: z.array(AuditEntry),
  },
} as const;
