/**
 * What the canary watch's charts draw on top of time: the flag's changes in the window as markers (labels laid out
 * in rows so they never overlap, newest first), its ramp steps as bands, the shown verdict's windows and onset, and
 * the time ticks. The flag's history is asked for an hour-aligned window around the live one, so the key stays put
 * while the window slides (no refetch per tick): a new change arrives by push (flags:changed) and refetches it once.
 */
import { useMemo } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import { concernsEnv, type FlagChange } from '../../../../shared/domain/flags';
import type { WatchVerdict } from '../../../../shared/domain/verdict';
import type { RampartError } from '../../../../shared/errors';
import type { MarkerPlacement } from '../../charts/chart-labels';
import { markerText } from '../../charts/marker-style';
import type { VerdictWindows } from '../../charts/references';
import { historyWindow } from '../../data/first-view';
import { useQuery } from '../../data/use-query';
import { rampBands, type RampBand } from '../../lib/bands';
import { plotWidth, timeToX } from '../../lib/chart-geometry';
import { onsetLabel } from '../../lib/extras';
import { estimateLabelWidth, layoutLabels } from '../../lib/label-layout';
import { formatHourMinute, timeTicks } from '../../lib/time';
import { useUi } from '../../state/ui-store';

const MARKER_ROWS = 3;

export interface ChartMarks {
  changes: FlagChange[];
  markers: MarkerPlacement[];
  bands: RampBand[];
  windows: VerdictWindows | null;
  onset: { at: number; label: string } | null;
  ticks: number[];
  tickInterval: number;
  plotWidth: number;
  error: RampartError | null;
}

/** The chart's short label for a verdict window, with its real times: "baseline · pre 14:48–18:48". */
export function windowLabel(name: string, w: { from: number; to: number }): string {
  return `${name} ${formatHourMinute(w.from)}–${formatHourMinute(w.to)}`;
}

/**
 * The flag-history window for the chart's window: a zoom inside the live window's (already answered) reuses it, so a
 * drag-zoom filters changes the renderer has instead of waiting on `flags:history` (issue 15); else the data layer's.
 */
export function chartHistoryWindow(
  from: number,
  to: number,
  live: boolean,
  liveSpan: string,
): { from: number; to: number } {
  const [a, b] = liveSpan.split(':').map(Number);
  if (!live && from >= a && to <= b) return { from: a, to: b };
  return historyWindow(from, to, live);
}

export function useChartMarks({
  row,
  from,
  to,
  width,
  verdict,
}: {
  row: FlagRow;
  from: number;
  to: number;
  width: number;
  verdict: WatchVerdict | undefined;
}): ChartMarks {
  const timeZone = useUi((s) => s.timeZone);
  const live = useUi((s) => s.zoom === null);
  // The live window's history answer, as a string so a tick that keeps it re-renders nothing.
  const liveSpan = useUi((s) => {
    const w = historyWindow(s.liveNow - s.rangeMs, s.liveNow, true);
    return `${w.from}:${w.to}`;
  });
  const plotW = plotWidth(width);
  const span = chartHistoryWindow(from, to, live, liveSpan);
  const historyQ = useQuery(
    'flags:history',
    { connectionId: row.connectionId, flagKey: row.flagKey, env: row.env, ...span },
    { refetchOn: ['flags:changed'], keepPreviousIn: `${row.connectionId}\u0000${row.flagKey}\u0000${row.env}` },
  );
  const history = historyQ.data;
  const changes = useMemo(
    () =>
      (history ?? []).filter((c) => c.flagKey === row.flagKey && concernsEnv(c, row.env) && c.at >= from && c.at <= to),
    [history, row.flagKey, row.env, from, to],
  );
  const bands = useMemo(
    () => rampBands(history ?? [], from, to, { enabled: row.enabled, exposure: row.exposure }),
    [history, from, to, row.enabled, row.exposure],
  );
  const markers = useMemo(() => {
    const boxes = changes.map((c) => ({ x: timeToX(c.at, from, to, plotW), width: estimateLabelWidth(markerText(c)) }));
    // Newest first: the change just made (or just seen) always gets its label; older ones yield when crowded.
    const rows = layoutLabels(
      boxes,
      MARKER_ROWS,
      plotW,
      4,
      changes.map((c) => c.at),
    );
    return changes.map((c, i) => ({ change: c, row: rows[i].row, flipped: rows[i].flipped, width: boxes[i].width }));
  }, [changes, from, to, plotW]);
  const windows = useMemo(
    // Short labels with the real times on the chart; the verdict panel spells the windows out. The zone changes them.
    () =>
      verdict
        ? {
            baseline: {
              ...verdict.baseline,
              label: windowLabel(`baseline · ${verdict.baseline.kind}`, verdict.baseline),
            },
            canary: { ...verdict.canary, label: windowLabel('canary', verdict.canary) },
          }
        : null,
    [verdict, timeZone],
  );
  const extrasOnset = verdict?.extras?.onset ?? null;
  const onset = useMemo(
    () => (extrasOnset ? { at: extrasOnset.at, label: onsetLabel(extrasOnset) } : null),
    [extrasOnset],
  );
  const { ticks, interval } = useMemo(() => timeTicks(from, to, plotW), [from, to, plotW]);
  const error = historyQ.error;
  // One object per change of its parts: the memoized charts re-render only when a mark did.
  return useMemo(
    () => ({ changes, markers, bands, windows, onset, ticks, tickInterval: interval, plotWidth: plotW, error }),
    [changes, markers, bands, windows, onset, ticks, interval, plotW, error],
  );
}
