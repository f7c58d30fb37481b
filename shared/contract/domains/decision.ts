import { z } from 'zod';
import { WatchDecision } from '../../domain/decision';

export const decisionRequests = {
  /**
   * The one decision of a watch (shared/domain/decision.ts): what the header, the buttons, the guard card, the
   * CLI's `verdict` and plans act on. Evaluated by the core once per new data step; this returns the latest one
   * (evaluating first when a new step has completed since).
   */
  'decision:get': { input: z.object({ watchId: z.string() }), output: WatchDecision },
} as const;
