/**
 * Numbered migrations, each applied once in its own transaction. The hash of each applied migration is recorded,
 * so an edited migration (a classic source of silently divergent databases) is refused at start-up.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

import { initialSchema } from './migrations/001-initial-schema';
import { auditOwners } from './migrations/002-audit-owners';
import { decisionsSchema } from './migrations/003-decisions';
import { plansSchema } from './migrations/004-plans';
import { lifecycleSchema } from './migrations/005-lifecycle';
import { seriesCacheMoved } from './migrations/006-series-cache-moved';

/** In version order; one file per migration under migrations/, never edited once released. */
export const MIGRATIONS: Migration[] = [
  initialSchema,
  auditOwners,
  decisionsSchema,
  plansSchema,
  lifecycleSchema,
  seriesCacheMoved,
];
