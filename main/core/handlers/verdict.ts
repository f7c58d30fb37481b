import { guardStep } from '../decision-judge';
import type { Core } from '../core';
import type { DomainHandlers } from './types';
import { watchOrThrow } from './watches';

export function verdictHandlers(core: Core): DomainHandlers<'verdict' | 'decision' | 'judge'> {
  const { verdicts, decisions } = core;
  return {
    /**
     * Any baseline the user picks. Now, on the decision's own baseline, it IS the decision's verdict (same data
     * step, same guard); on another baseline the guard shown is the decision's (the one that acts), beside a
     * single always-valid look at this comparison. A past `at` is a stateless look.
     */
    'verdict:get': async ({ watchId, baseline, at }) => {
      const watch = watchOrThrow(core, watchId);
      if (at !== undefined) return verdicts.compute(watch, baseline, at);
      const d = await decisions.evaluate(watch);
      if (d.baseline === baseline) return d.verdict;
      return verdicts.compute(watch, baseline, undefined, ({ metrics, out, windows, step, kind }) => {
        const look = guardStep(null, {
          windowKey: `${kind}|${windows.change?.id ?? 'none'}`,
          step,
          metrics,
          verdicts: out.metrics,
          confidence: watch.thresholds.confidence,
        });
        return {
          sequential: look.sequential,
          guard: {
            ...d.guard,
            reason: `${d.guard.reason} (the live guard runs on the decision's ${d.baseline} baseline)`,
          },
        };
      });
    },
    'decision:get': ({ watchId }) => decisions.evaluate(watchOrThrow(core, watchId)),
    // Validated by the registrar; computed on the judge's worker thread (issue 15: a rollback sent meanwhile is
    // answered at once — test/host/rollback-order.test.ts).
    'judge:run': (input) => core.workers.judge.call({ op: 'judge', input }),
  };
}
