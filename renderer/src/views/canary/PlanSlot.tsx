/**
 * Where the canary watch shows the flag's rollout plan (issue 12): the Plans view's `PlanStrip` when that view is part
 * of the build (renderer/src/views/plans/PlanStrip.tsx), nothing otherwise. Looked up at build time, so the canary
 * watch does not depend on the plans code being there.
 */
import type { ComponentType } from 'react';
import type { Watch } from '../../../../shared/domain/metrics';

type PlanStripModule = { PlanStrip?: ComponentType<{ watch: Watch }> };
const found = Object.values(import.meta.glob<PlanStripModule>('../plans/PlanStrip.tsx', { eager: true }))[0];

export function PlanSlot({ watch }: { watch: Watch }): React.JSX.Element | null {
  const Strip = found?.PlanStrip;
  return Strip ? <Strip watch={watch} /> : null;
}
