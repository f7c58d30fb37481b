/**
 * Deep links (issue 11): the address restores the view, the flag, its environment, the time range (a preset or a
 * fixed window) and the baseline shown, so a link pasted in an incident channel opens the same picture.
 *   #/canary?c=<connection>&f=<flag>&e=<env>&r=24h            live window of a preset
 *   #/canary?c=…&f=…&e=…&from=<epoch ms>&to=<epoch ms>&b=pre   a fixed window and a baseline
 * Pure: parse and format only; the UI store reads it once and writes it back on change.
 */
import { BASELINE_KINDS, type BaselineKind } from '../../../shared/domain/verdict';
import type { FlagSelection } from './filters';
import { DAY, HOUR } from './time';

export const VIEW_IDS = ['canary', 'incident', 'cohorts', 'plans', 'lifecycle', 'audit', 'connections'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export const RANGE_PRESETS = [
  { label: '1h', ms: HOUR },
  { label: '6h', ms: 6 * HOUR },
  { label: '24h', ms: 24 * HOUR },
  { label: '3d', ms: 3 * DAY },
  { label: '7d', ms: 7 * DAY },
] as const;

export interface LinkState {
  view: ViewId;
  selection: FlagSelection | null;
  rangeMs: number;
  zoom: { from: number; to: number } | null;
  /** null: the decision's own baseline. */
  baseline: BaselineKind | null;
}

const EPOCH = /^\d{1,16}$/;

export function parseLink(hash: string): Partial<LinkState> {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  const out: Partial<LinkState> = {};
  const view = VIEW_IDS.find((v) => v === path);
  if (view) out.view = view;
  const q = new URLSearchParams(query);
  const c = q.get('c');
  const f = q.get('f');
  const e = q.get('e');
  if (c && f && e) out.selection = { connectionId: c, flagKey: f, env: e };
  const preset = RANGE_PRESETS.find((p) => p.label === q.get('r'));
  if (preset) out.rangeMs = preset.ms;
  const from = q.get('from');
  const to = q.get('to');
  if (from && to && EPOCH.test(from) && EPOCH.test(to) && Number(to) > Number(from))
    out.zoom = { from: Number(from), to: Number(to) };
  const b = q.get('b');
  if (b && (BASELINE_KINDS as readonly string[]).includes(b)) out.baseline = b as BaselineKind;
  return out;
}

export function formatLink(s: LinkState): string {
  const q = new URLSearchParams();
  if (s.selection && (s.view === 'canary' || s.view === 'cohorts')) {
    q.set('c', s.selection.connectionId);
    q.set('f', s.selection.flagKey);
    q.set('e', s.selection.env);
  }
  if (s.view === 'canary') {
    if (s.zoom) {
      q.set('from', String(Math.round(s.zoom.from)));
      q.set('to', String(Math.round(s.zoom.to)));
    } else {
      const preset = RANGE_PRESETS.find((p) => p.ms === s.rangeMs);
      if (preset) q.set('r', preset.label);
    }
    if (s.baseline) q.set('b', s.baseline);
  }
  const query = q.toString();
  return `#/${s.view}${query ? `?${query}` : ''}`;
}
