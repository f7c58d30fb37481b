/**
 * The light axis layer (issue 15: recharts' selector machinery cost more than the whole plot): the grid under
 * everything, and the axes over the lines — tick marks, tick labels and axis lines in plain SVG, laid out the way
 * recharts laid them out (6 px ticks, labels 2 px beyond them, 11 px grey text), so the charts read as before.
 */
import { memo } from 'react';
import { formatAxis, type Unit } from '../lib/format';
import { formatTick } from '../lib/time';
import { at, timeScale, valueScale, type PlotBox } from './plot-box';

export const AXIS_STROKE = '#2a2f38';
const TICK_FILL = '#9aa1ab';
const TICK = 6;
const TICK_MARGIN = 2;

export interface AxisSpec {
  domain: readonly [number, number];
  ticks: readonly number[];
  unit: Unit;
}

interface AxesProps {
  box: PlotBox;
  from: number;
  to: number;
  xTicks: readonly number[];
  tickInterval: number;
  showXAxis: boolean;
  left: AxisSpec;
  right: AxisSpec | null;
}

/** "M x1,y1 H x2 …": many straight segments as one path (issue 15: one node, not one per tick). */
const hPath = (ys: readonly number[], x1: number, x2: number): string => ys.map((y) => `M${x1},${y}H${x2}`).join('');
const vPath = (xs: readonly number[], y1: number, y2: number): string => xs.map((x) => `M${x},${y1}V${y2}`).join('');

/** Horizontal lines at the left axis' ticks, vertical ones at the time ticks, inside the plot: one path. */
function GridImpl({
  box,
  from,
  to,
  xTicks,
  left,
}: Pick<AxesProps, 'box' | 'from' | 'to' | 'xTicks' | 'left'>): React.JSX.Element {
  const x = timeScale(from, to, box.x, box.width);
  const y = valueScale(left.domain, box);
  const inY = (py: number): boolean => py >= box.y - 0.5 && py <= box.y + box.height + 0.5;
  const inX = (px: number): boolean => px >= box.x - 0.5 && px <= box.x + box.width + 0.5;
  const d =
    hPath(left.ticks.map((v) => at(y, v)).filter(inY), box.x, box.x + box.width) +
    vPath(xTicks.map((t) => at(x, t)).filter(inX), box.y, box.y + box.height);
  return <path className="chart-grid" stroke={AXIS_STROKE} fill="none" d={d} />;
}

/** The axis line and its tick marks as one path, the tick labels as bare texts. */
function YAxisImpl({ box, spec, side }: { box: PlotBox; spec: AxisSpec; side: 'left' | 'right' }): React.JSX.Element {
  const y = valueScale(spec.domain, box);
  const edge = side === 'left' ? box.x : box.x + box.width;
  const dir = side === 'left' ? -1 : 1;
  const shown = spec.ticks
    .map((v) => ({ v, py: at(y, v) }))
    .filter(({ py }) => py >= box.y - 0.5 && py <= box.y + box.height + 0.5);
  const d =
    vPath([edge], box.y, box.y + box.height) +
    hPath(
      shown.map((t) => t.py),
      edge + dir * TICK,
      edge,
    );
  return (
    <g className={`chart-axis y-${side}`} fontSize={11} fill={TICK_FILL}>
      <path d={d} stroke={AXIS_STROKE} fill="none" />
      {shown.map(({ v, py }) => (
        <text
          key={v}
          x={edge + dir * (TICK + TICK_MARGIN)}
          y={py}
          dy="0.355em"
          textAnchor={side === 'left' ? 'end' : 'start'}
        >
          {formatAxis(v, spec.unit)}
        </text>
      ))}
    </g>
  );
}

/** Memoized on its own: a new time window with the same y-scale leaves it as it is. */
const YAxis = memo(YAxisImpl);

function XAxis({
  box,
  from,
  to,
  xTicks,
  tickInterval,
}: Pick<AxesProps, 'box' | 'from' | 'to' | 'xTicks' | 'tickInterval'>): React.JSX.Element {
  const x = timeScale(from, to, box.x, box.width);
  const bottom = box.y + box.height;
  const shown = xTicks
    .map((t) => ({ t, px: at(x, t) }))
    .filter(({ px }) => px >= box.x - 0.5 && px <= box.x + box.width + 0.5);
  const d =
    hPath([bottom], box.x, box.x + box.width) +
    vPath(
      shown.map((t) => t.px),
      bottom,
      bottom + TICK,
    );
  return (
    <g className="chart-axis x" fontSize={11} fill={TICK_FILL}>
      <path d={d} stroke={AXIS_STROKE} fill="none" />
      {shown.map(({ t, px }) => (
        <text key={t} x={px} y={bottom + TICK + TICK_MARGIN} dy="0.71em" textAnchor="middle">
          {formatTick(t, tickInterval)}
        </text>
      ))}
    </g>
  );
}

function AxesImpl(p: AxesProps): React.JSX.Element {
  return (
    <g className="chart-axes">
      {p.showXAxis && <XAxis box={p.box} from={p.from} to={p.to} xTicks={p.xTicks} tickInterval={p.tickInterval} />}
      <YAxis box={p.box} spec={p.left} side="left" />
      {p.right && <YAxis box={p.box} spec={p.right} side="right" />}
    </g>
  );
}

export const Grid = memo(GridImpl);
export const Axes = memo(AxesImpl);
