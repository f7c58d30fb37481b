import { z } from 'zod';

/** Field schemas several domains share. One owner for each rule: a comment's length lives here, nowhere else. */
export const flagKey = z.string().min(1).max(200);
export const envKey = z.string().min(1).max(100);
export const epochMs = z.number().int().min(0).max(8.64e15);
/** Every write carries a comment (docs/security.md): Rampart enforces it where vendors do not. */
export const MIN_COMMENT_LENGTH = 3;
export const comment = z
  .string()
  .trim()
  .min(MIN_COMMENT_LENGTH, `a comment of at least ${MIN_COMMENT_LENGTH} characters is required`)
  .max(1000);
export const none = z.object({}).strict();
