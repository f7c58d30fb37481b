/**
 * Export the current decision: Markdown (windows, numbers, queries, who looked) and a PNG of the charts with the
 * decision written above them — the record a ticket or a post-mortem needs.
 */
import { useState } from 'react';
import type { WatchDecision } from '../../../../shared/domain/decision';
import type { Watch } from '../../../../shared/domain/metrics';
import { useQuery } from '../../data/use-query';
import { chartsPng } from '../../components/chart-png';
import { decisionMarkdown } from '../../lib/decision-record';
import { downloadBlob, downloadText, fileStamp } from '../../lib/download';
import { formatDateTimeZone, formatWindow, zoneLabel } from '../../lib/time';
import { useToasts } from '../../state/toast-store';

export function DecisionRecordButtons({
  watch,
  decision,
}: {
  watch: Watch;
  decision: WatchDecision;
}): React.JSX.Element {
  const info = useQuery('app:info', {}).data;
  const pushToast = useToasts((s) => s.push);
  const [busy, setBusy] = useState(false);
  const base = `decision-${decision.flagKey}-${decision.env}-${fileStamp(decision.computedAt)}`;
  const markdown = (): void => {
    const text = decisionMarkdown({
      decision,
      watch,
      user: info?.user ?? 'unknown',
      door: info?.door ?? 'unknown',
      exportedAt: Date.now(),
      link: window.location.href,
    });
    downloadText(`${base}.md`, text, 'text/markdown');
  };
  const png = async (): Promise<void> => {
    setBusy(true);
    try {
      const svgs = [
        ...document.querySelectorAll<SVGSVGElement>(
          '[data-testid=chart-traffic] svg.chart-surface, [data-testid=chart-latency] svg.chart-surface',
        ),
      ];
      const v = decision.verdict;
      const blob = await chartsPng(svgs, [
        `${decision.flagKey} in ${decision.env}: ${decision.action.toUpperCase()} · ${v.verdict.toUpperCase()} — ${decision.reason}`.slice(
          0,
          180,
        ),
        `baseline (${v.baseline.kind}) ${formatWindow(v.baseline.from, v.baseline.to)} · canary ${formatWindow(v.canary.from, v.canary.to)} · times ${zoneLabel()}`,
        `decided ${formatDateTimeZone(decision.computedAt)} · looked at by ${info?.user ?? 'unknown'} at ${formatDateTimeZone(Date.now())}`,
      ]);
      downloadBlob(`${base}.png`, blob);
    } catch (e) {
      pushToast('error', `PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="record-buttons" data-testid="decision-record">
      <span className="small muted">Decision record:</span>
      <button type="button" className="button subtle" onClick={markdown} data-testid="export-markdown">
        Markdown
      </button>
      <button
        type="button"
        className="button subtle"
        disabled={busy}
        onClick={() => void png()}
        data-testid="export-png"
      >
        {busy ? 'Drawing…' : 'PNG of the charts'}
      </button>
    </div>
  );
}
