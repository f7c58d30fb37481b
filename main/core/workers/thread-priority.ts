import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The core's worker threads run below the main thread's CPU priority (issue 13/15: the host answers a rollback in
 * ≤ 50 ms while verdicts compute). On 2 cores, three busy workers (judge, series cache, simulated service) and the
 * main thread share the CPU evenly, so a click's work waited its turn behind a verdict's; at nice 10 a worker gets
 * about a tenth of a core's share when the main thread wants it, and all of an idle core otherwise.
 *
 * Linux keeps a nice value per thread (setpriority(2), NOTES: NPTL threads each have their own), so a thread can
 * lower its own priority by its thread id. Other platforms set it per process, which would slow the main thread too:
 * there the workers keep the main thread's priority.
 */
export const WORKER_NICE = 10;

export type PriorityOutcome = 'lowered' | 'unsupported' | { failed: string };

/** Lower the calling thread's priority; call it first thing in a worker thread. Never throws. */
export function lowerThisThreadPriority(nice = WORKER_NICE): PriorityOutcome {
  if (process.platform !== 'linux') return 'unsupported';
  try {
    // '/proc/thread-self' → '<pid>/task/<tid>'
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return { failed: 'no thread id in /proc/thread-self' };
    setPriority(tid, nice);
    return 'lowered';
  } catch (e) {
    return { failed: e instanceof Error ? e.message : String(e) };
  }
}
