/**
 * A rollout plan's steps on a TimeChart (issue 12: "plan steps drawn as bands on the charts"): each step the plan
 * held is a ribbon along the bottom of the plot over its time span, coloured by how it ended (advanced, running,
 * held, rolled back), labelled "plan step 2/5 · 25%" on the chart that asks for labels; a rollback is a red line at
 * its moment. The bands come from `plans:bands` (main/plans/plan-bands.ts, the same spans the PlanStrip shows); the
 * hover tooltip names the step under the cursor and the rollback's reason (PlanBandTips).
 */
import type { PlanBand } from '../../../shared/domain/plans';
import { estimateLabelWidth } from '../lib/label-layout';
import { formatClock, localizeTimes } from '../lib/time';
import { bandEnd, layoutPlanBands } from './plan-band-layout';
import { at, timeScale } from './plot-box';
import { useChart } from './TimeChart';

type Outcome = PlanBand['outcome'];

/** The app's tones (styles/base.css --info, --ok, --warn, --bad): SVG attributes do not read CSS variables. */
const OUTCOME_COLORS: Record<Outcome, string> = {
  current: '#8ab8ff',
  advanced: '#56c26a',
  completed: '#56c26a',
  paused: '#f5b73b',
  'rolled-back': '#ff5f6d',
  aborted: '#ff5f6d',
};

/** How a step ended, in the tooltip's words. */
export const OUTCOME_WORDS: Record<Outcome, string> = {
  current: 'running',
  advanced: 'advanced',
  completed: 'completed',
  paused: 'held (paused)',
  'rolled-back': 'rolled back',
  aborted: 'aborted (rolled back)',
};

const RIBBON_PX = 6;
const LABEL_PX = 15;

const endedByRollback = (b: PlanBand): boolean => b.outcome === 'rolled-back' || b.outcome === 'aborted';

/** Drawn over the lines (a ribbon under them would hide behind a busy series); `labels` on one chart of a stack. */
export function PlanBandsLayer({
  bands,
  labels,
}: {
  bands: readonly PlanBand[];
  labels: boolean;
}): React.JSX.Element | null {
  const { box, from, to, clipId } = useChart();
  if (bands.length === 0) return null;
  const scale = timeScale(from, to, box.x, box.width);
  const bottom = box.y + box.height;
  const plot = { left: box.x, right: box.x + box.width };
  const laid = layoutPlanBands(bands, (t) => at(scale, t), plot, Math.min(to, Date.now()));
  return (
    <g className="plan-bands" clipPath={`url(#${clipId})`} data-testid="plan-bands">
      {laid.map(({ band: b, x1, x2, labelX }) => {
        const color = OUTCOME_COLORS[b.outcome];
        const w = estimateLabelWidth(b.label);
        return (
          <g key={`${b.planId}-${b.stepIndex}-${b.from}`}>
            <rect
              x={x1}
              y={bottom - RIBBON_PX}
              width={Math.max(1, x2 - x1 - 1)}
              height={RIBBON_PX}
              fill={color}
              fillOpacity={0.85}
              data-testid="plan-band"
              data-step={b.stepIndex + 1}
              data-exposure={b.exposure}
              data-outcome={b.outcome}
              data-label={b.label}
            />
            {endedByRollback(b) && b.to >= from && b.to <= to && (
              <g data-testid="plan-rollback-marker" data-at={b.to}>
                <line x1={x2} x2={x2} y1={box.y} y2={bottom} stroke={color} strokeWidth={1.5} strokeDasharray="2 2" />
                <path d={`M${x2 - 5},${bottom} L${x2},${bottom - 9} L${x2 + 5},${bottom} Z`} fill={color} />
              </g>
            )}
            {labels && labelX !== null && (
              <g data-testid="plan-band-label" data-step={b.stepIndex + 1} data-outcome={b.outcome}>
                <rect
                  x={labelX}
                  y={bottom - RIBBON_PX - LABEL_PX - 3}
                  width={w}
                  height={LABEL_PX}
                  rx={3}
                  fill="#161a21"
                  fillOpacity={0.92}
                  stroke={color}
                  strokeWidth={1}
                />
                <text x={labelX + 5} y={bottom - RIBBON_PX - 7} fontSize={11} fill="#e6e8eb">
                  {b.label}
                </text>
              </g>
            )}
          </g>
        );
      })}
    </g>
  );
}

/** The hover tooltip's plan rows: the step under the cursor, and a rollback within a few pixels with its reason. */
export function PlanBandTips({
  bands,
  hover,
  msPerPx,
}: {
  bands: readonly PlanBand[];
  hover: number;
  msPerPx: number;
}): React.JSX.Element {
  const held = bands.filter((b) => b.from <= hover && hover <= bandEnd(b, Date.now()));
  const rollbacks = bands.filter((b) => endedByRollback(b) && Math.abs(b.to - hover) <= 4 * msPerPx);
  return (
    <>
      {held.map((b) => (
        <div
          key={`step-${b.planId}-${b.stepIndex}-${b.from}`}
          className="tt-change"
          style={{ borderLeftColor: OUTCOME_COLORS[b.outcome] }}
          data-testid="tt-plan-step"
        >
          <strong>{b.label}</strong>
          <span className="muted">
            {' '}
            {OUTCOME_WORDS[b.outcome]}
            {b.outcome === 'current'
              ? ` since ${formatClock(b.from)}`
              : `, ${formatClock(b.from)}–${formatClock(b.to)}`}
          </span>
        </div>
      ))}
      {rollbacks.map((b) => (
        <div
          key={`rollback-${b.planId}-${b.to}`}
          className="tt-change"
          style={{ borderLeftColor: OUTCOME_COLORS[b.outcome] }}
          data-testid="tt-plan-rollback"
        >
          <strong>
            ▼ {b.outcome === 'aborted' ? 'aborted' : 'rolled back'} at {formatClock(b.to)}
          </strong>
          {b.note && <div className="muted">{localizeTimes(b.note)}</div>}
        </div>
      ))}
    </>
  );
}
