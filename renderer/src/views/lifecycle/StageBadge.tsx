import type { LifecycleRow, LifecycleStage } from '../../../../shared/domain/lifecycle';
import { STAGE_HINTS, STAGE_LABELS } from './lifecycle-model';
import './lifecycle.css';

/** A flag's lifecycle stage as a small badge; a stale one says why in its tooltip. */
export function StageBadge({
  stage,
  row,
}: {
  stage: LifecycleStage;
  row?: Pick<LifecycleRow, 'staleReason'>;
}): React.JSX.Element {
  return (
    <span
      className={`stage-badge stage-${stage}`}
      title={row?.staleReason ?? STAGE_HINTS[stage]}
      data-testid="stage-badge"
      data-stage={stage}
    >
      {STAGE_LABELS[stage]}
    </span>
  );
}
