import { z } from 'zod';
import { none } from './common';

export const appRequests = {
  /** Facts about the running core: version, whether the demo workspace is active, the user name shown and audited. */
  'app:info': {
    input: none,
    output: z.object({
      version: z.string(),
      user: z.string(),
      demo: z.boolean(),
      dataDir: z.string(),
      door: z.enum(['electron', 'http', 'cli']),
    }),
  },
  /**
   * The name audited with every action (the `user.name` setting). null clears it: the OS user again. A name, not a
   * login: Rampart has no accounts; the door and the owner process are audited beside it.
   */
  'app:setUser': {
    input: z.object({ name: z.string().trim().min(1).max(100).nullable() }).strict(),
    output: z.object({ user: z.string() }),
  },
} as const;
