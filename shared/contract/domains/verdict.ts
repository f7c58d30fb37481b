import { z } from 'zod';
import { BASELINE_KINDS, JudgeInput, JudgeOutput, WatchVerdict } from '../../domain/verdict';
import { epochMs } from './common';

export const verdictRequests = {
  'verdict:get': {
    input: z.object({ watchId: z.string(), baseline: z.enum(BASELINE_KINDS).default('pre'), at: epochMs.optional() }),
    output: WatchVerdict,
  },

  /** The pipeline judge (docs/statistics.md), exposed to the UI too. */
  'judge:run': { input: JudgeInput, output: JudgeOutput },
} as const;
