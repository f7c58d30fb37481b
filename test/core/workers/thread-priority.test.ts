import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { threadWorker } from '../../../main/core/workers/pool';
import { lowerThisThreadPriority, WORKER_NICE } from '../../../main/core/workers/thread-priority';

/** Nice value of every thread of this process (/proc/self/task/<tid>/stat, field 19), by thread id. */
function threadNice(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) ": field 3 onwards
      out.set(Number(tid), Number(fields[19 - 3]));
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return out;
}

describe("the core's worker threads run below the main thread's priority", () => {
  it(
    process.platform === 'linux'
      ? 'a started worker thread has nice 10; the main thread keeps its own'
      : 'off Linux (nice is per process there), the workers keep the priority of the main thread',
    async () => {
      if (process.platform !== 'linux') {
        expect(lowerThisThreadPriority()).toBe('unsupported');
        return;
      }
      const mainNice = threadNice().get(process.pid);
      const before = [...threadNice().values()].filter((n) => n === WORKER_NICE).length;
      const worker = threadWorker('judge', null);
      try {
        expect(await worker.call({ op: 'spin', ms: 1 })).toBeGreaterThan(0);
        const after = threadNice();
        expect([...after.values()].filter((n) => n === WORKER_NICE).length).toBe(before + 1);
        expect(after.get(process.pid)).toBe(mainNice);
      } finally {
        await worker.close();
      }
    },
  );
});
