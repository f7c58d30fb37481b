import type { FakeResponse, RecordedRequest } from './fake-http';
import { route } from './fake-http';
import {
  clone,
  findFeature,
  liveRevision,
  mergeDraft,
  nextVersion,
  revisionOf,
  revisionView,
  ruleId,
  type GbRevisionState,
  type GbRule,
  type GbState,
} from './fake-growthbook-state';

/**
 * The fake GrowthBook's drafts endpoints (`/api/v1/features/{id}/revisions/...`), as the server validates them:
 * a draft branches from the live version; rule patches keep the rule's type except that force and rollout are
 * re-typed by the effective coverage (a rollout needs a hash attribute); publish merges or answers 409 with the
 * conflicts; approvals answer 400; discarded and published revisions cannot be edited.
 */

export const gbError = (status: number, message: string, extra: Record<string, unknown> = {}): FakeResponse => ({
  status,
  body: { message, ...extra },
});

const isDraft = (r: GbRevisionState) => r.status === 'draft';

/** GrowthBook's applyPatch for force/rollout rules; other types take the common fields only. */
function applyPatch(existing: GbRule, patch: Record<string, unknown>): GbRule | string {
  if (patch.type !== undefined && patch.type !== existing.type)
    return `Rule type cannot be changed (existing: "${existing.type}", provided: "${String(patch.type)}")`;
  const common = ['description', 'enabled', 'condition', 'savedGroups', 'prerequisites'];
  if (existing.type !== 'force' && existing.type !== 'rollout') {
    if (patch.coverage !== undefined || patch.value !== undefined)
      return `value and coverage cannot be set on a ${existing.type} rule`;
    return { ...existing, ...Object.fromEntries(Object.entries(patch).filter(([k]) => common.includes(k))) };
  }
  const coverage = (patch.coverage ?? existing.coverage) as number | undefined;
  if (coverage !== undefined && (typeof coverage !== 'number' || coverage < 0 || coverage > 1))
    return 'Request body: rule.coverage: must be between 0 and 1';
  const hashAttribute = (patch.hashAttribute ?? existing.hashAttribute) as string | undefined;
  const rollout = coverage !== undefined && coverage < 1;
  if (rollout && !hashAttribute) return 'hashAttribute is required for rollout rules (coverage < 100%)';
  return {
    ...existing,
    ...patch,
    type: rollout ? 'rollout' : 'force',
    ...(coverage !== undefined ? { coverage } : {}),
    ...(hashAttribute ? { hashAttribute } : {}),
  };
}

export function handleDrafts(state: GbState, req: RecordedRequest): FakeResponse | undefined {
  let m: Record<string, string> | undefined;
  const body = (req.body ?? {}) as Record<string, unknown>;
  if ((m = route('/api/v1/features/:id/revisions', req.path)) && req.method === 'POST') {
    if (state.noDraftsApi) return gbError(404, 'Unknown API endpoint');
    const f = findFeature(state, m.id);
    if (!f) return gbError(404, 'Could not find feature');
    const live = liveRevision(state, f);
    const draft: GbRevisionState = {
      ...clone(live),
      baseVersion: f.version,
      version: nextVersion(state, f.id),
      comment: typeof body.comment === 'string' ? body.comment : '',
      ...(typeof body.title === 'string' ? { title: body.title } : {}),
      date: new Date().toISOString(),
      status: 'draft',
      createdBy: 'API',
      publishedBy: '',
    };
    delete draft.environmentsEnabled;
    state.revisions.push(draft);
    return { status: 200, body: { revision: revisionView(draft) } };
  }
  if (
    !(m =
      route('/api/v1/features/:id/revisions/:version', req.path) ??
      route('/api/v1/features/:id/revisions/:version/:action', req.path) ??
      route('/api/v1/features/:id/revisions/:version/rules/:ruleId', req.path))
  )
    return undefined;
  if (state.noDraftsApi) return gbError(404, 'Unknown API endpoint');
  const f = findFeature(state, m.id);
  if (!f) return gbError(404, 'Could not find feature');
  const rev = revisionOf(state, f.id, Number(m.version));
  if (!rev) return gbError(404, 'Could not find feature revision');
  const action = m.ruleId ? 'rule' : (m.action ?? '');
  const answer = () => ({ status: 200, body: { revision: revisionView(rev) } });

  if (action === '' && req.method === 'GET') return answer();
  if (req.method === 'POST' && action === 'discard') {
    if (!isDraft(rev)) return gbError(400, `Cannot discard a revision with status "${rev.status}"`);
    rev.status = 'discarded';
    return answer();
  }
  if (req.method === 'POST' && action === 'publish') {
    if (!isDraft(rev)) return gbError(400, `Cannot publish a revision with status "${rev.status}"`);
    const base = revisionOf(state, f.id, rev.baseVersion);
    const touched = Object.keys(rev.rules).filter(
      (env) => JSON.stringify(rev.rules[env]) !== JSON.stringify(base?.rules[env]),
    );
    if (touched.some((env) => state.requireReviews.has(env)))
      return gbError(400, `This revision requires approval before publishing (status: "draft").`);
    const { conflicts } = mergeDraft(state, f, rev);
    if (conflicts.length)
      return gbError(409, `Merge conflict: ${conflicts.join(', ')} changed since this draft was created`, {
        code: 'conflict',
        details: { conflicts },
        conflicts,
      });
    if (typeof body.comment === 'string' && body.comment) rev.comment = body.comment;
    return answer();
  }
  const env = typeof body.environment === 'string' ? body.environment : '';
  if (!isDraft(rev)) return gbError(400, `Cannot edit a revision with status "${rev.status}"`);
  if (!state.environments.some((e) => e.id === env)) return gbError(400, `Unknown environment: '${env}'`);
  const rule = body.rule as Record<string, unknown> | undefined;
  if (!rule || typeof rule !== 'object') return gbError(400, 'Request body: rule: Required');
  if (req.method === 'POST' && action === 'rules') {
    if (rule.type !== 'force' && rule.type !== 'rollout')
      return gbError(400, 'Request body: rule.type: only force and rollout rules are added in this fake');
    if (typeof rule.value !== 'string') return gbError(400, 'Request body: rule.value: Required');
    const added = applyPatch({ id: ruleId(state), type: String(rule.type), description: '', enabled: true } as GbRule, {
      ...rule,
      type: undefined,
    });
    if (typeof added === 'string') return gbError(400, added);
    rev.rules[env] = [...(rev.rules[env] ?? []), added];
    return answer();
  }
  if (req.method === 'PUT' && action === 'rule') {
    const list = rev.rules[env] ?? [];
    const i = list.findIndex((r) => r.id === m?.ruleId);
    if (i < 0) return gbError(404, `Rule "${m.ruleId}" not found in environment "${env}"`);
    const next = applyPatch(list[i], rule);
    if (typeof next === 'string') return gbError(400, next);
    list[i] = next;
    return answer();
  }
  return gbError(404, 'Unknown API endpoint');
}
