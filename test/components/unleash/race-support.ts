import type { WriteReport } from '../../../main/flags/flag-store';
import type { CapturedSearch } from './delay-proxy';

/**
 * Concurrent-edit races against a real Unleash: a second actor (its own admin token, raw HTTP, no proxy) edits the
 * strategy Rampart ramps, and the outcome of each race is judged from the final state and Unleash's event log.
 */

export type Admin = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export function adminClient(url: string, token: string): Admin {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // The path, status and Unleash's answer; never the token.
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export const envPath = (flag: string, env = 'production') =>
  `/api/admin/projects/default/features/${flag}/environments/${env}`;

export interface RawStrategy {
  id: string;
  name: string;
  parameters: Record<string, string>;
  constraints: { contextName: string; operator: string; values: string[] }[];
  variants: unknown[];
  segments?: number[];
  disabled?: boolean;
  title?: string | null;
  sortOrder?: number;
}
export interface RawEvent {
  id: number;
  type: string;
  createdAt: string;
  createdBy: string;
  environment: string | null;
  preData?: { parameters?: Record<string, string> } | null;
  data?: { parameters?: Record<string, string> } | null;
}

export const START_ROLLOUT = 25;
export const RAMPART_TARGET = 50;
export const OTHER_ROLLOUT = 30;
const WEB_ONLY = [{ contextName: 'appName', operator: 'IN', values: ['web'] }];
export const OTHER_CONSTRAINTS = [{ contextName: 'appName', operator: 'IN', values: ['web', 'ios'] }];

/** A flag on at 25% for web, as a release captain left it. */
export async function seedRaceFlag(admin: Admin, flag: string): Promise<string> {
  await admin('POST', '/api/admin/projects/default/features', { name: flag, type: 'release' });
  const s = await admin<RawStrategy>('POST', `${envPath(flag)}/strategies`, {
    name: 'flexibleRollout',
    parameters: { rollout: String(START_ROLLOUT), stickiness: 'default', groupId: flag },
    constraints: WEB_ONLY,
    variants: [],
  });
  await admin('POST', `${envPath(flag)}/on`);
  return s.id;
}

export const EDIT_KINDS = ['rollout', 'constraints', 'toggle'] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

/**
 * The second actor's edit, as people make them: the rollout by JSON Patch (another tool), the constraints the way
 * Unleash's own UI saves a strategy (GET it, PUT it back whole, with the rollout it read), the environment off.
 */
export async function otherEdit(alice: Admin, kind: EditKind, flag: string, strategyId: string): Promise<void> {
  const path = `${envPath(flag)}/strategies/${strategyId}`;
  if (kind === 'rollout')
    await alice('PATCH', path, [{ op: 'replace', path: '/parameters/rollout', value: String(OTHER_ROLLOUT) }]);
  else if (kind === 'toggle') await alice('POST', `${envPath(flag)}/off`);
  else {
    const s = await alice<RawStrategy>('GET', path);
    const { name, parameters, variants, segments, disabled, title, sortOrder } = s;
    await alice('PUT', path, {
      name,
      parameters,
      constraints: OTHER_CONSTRAINTS,
      variants,
      segments,
      disabled,
      title,
      sortOrder,
    });
  }
}

export type RaceResult =
  'conflict' | 'preserved' | 'preserved, reported' | 'reported' | 'after the check' | 'SILENT LOSS';

export interface RaceFacts {
  kind: EditKind;
  conflict: boolean;
  report: WriteReport | undefined;
  final: { enabled: boolean; strategy: RawStrategy };
  events: RawEvent[];
  /** The event-log searches the adapter made during this race, as Unleash answered them. */
  searches: CapturedSearch[];
  otherActor: string;
  rampartActor: string;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function otherEditVisible(kind: EditKind, final: RaceFacts['final']): boolean {
  if (kind === 'rollout') return final.strategy.parameters.rollout === String(OTHER_ROLLOUT);
  if (kind === 'toggle') return !final.enabled;
  return sameJson(
    final.strategy.constraints.map((c) => c.values),
    OTHER_CONSTRAINTS.map((c) => c.values),
  );
}

/**
 * preserved: both edits are in the final state. reported: one is gone and the adapter said so. after the check:
 * the other edit landed after Rampart's write AND after the last event-log answer the adapter got (it could not
 * have known: that is an ordinary later edit). Anything else is a silent loss.
 */
export function judgeRace(f: RaceFacts): RaceResult {
  if (f.conflict) return 'conflict';
  const rampartVisible = f.final.strategy.parameters.rollout === String(RAMPART_TARGET);
  const reported = f.report?.concurrentEdit !== undefined;
  if (rampartVisible && otherEditVisible(f.kind, f.final)) return reported ? 'preserved, reported' : 'preserved';
  if (reported) return 'reported';
  const ownEvent = f.events
    .filter((e) => e.createdBy === f.rampartActor && e.type === 'feature-strategy-update')
    .at(-1);
  const seen = new Set(f.searches.flatMap((s) => s.eventIds));
  const others = f.events.filter((e) => e.createdBy === f.otherActor);
  if (ownEvent && others.length && others.every((e) => e.id > ownEvent.id && !seen.has(e.id))) return 'after the check';
  return 'SILENT LOSS';
}

/** mulberry32: a small seeded generator, so a failing run can be repeated with its printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
