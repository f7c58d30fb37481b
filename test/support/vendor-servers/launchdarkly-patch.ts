import { clone, validateFlag, type LdFlag, type LdRollout } from './launchdarkly-state';

/**
 * The two documented ways the fake LaunchDarkly accepts a flag update (PATCH /api/v2/flags/{project}/{flag}):
 * - JSON Patch (RFC 6902), `[ops]` or `{comment, patch:[ops]}`; a failed `test` (e.g. `/version`) → 409.
 * - Semantic patch (`Content-Type: application/json; domain-model=launchdarkly.semanticpatch`),
 *   `{comment?, environmentKey, instructions:[{kind,…}]}`, all-or-nothing. Only the instructions Rampart may use are
 *   implemented; any other kind is refused with 400 so a test notices a new instruction.
 */

export type PatchOutcome =
  | { ok: true; flag: LdFlag; envs: string[]; comment?: string; action: string; delta?: unknown }
  | { ok: false; status: number; code: string; message: string };

const fail = (status: number, code: string, message: string): PatchOutcome => ({ ok: false, status, code, message });

function decodePointer(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Json = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, parts: string[]): { parent: Json; key: string } | undefined {
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === null || typeof cur !== 'object') return undefined;
  return { parent: cur as Json, key: parts[parts.length - 1] };
}

function getAt(doc: unknown, parts: string[]): unknown {
  let cur: unknown = doc;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Applies a JSON Patch. LaunchDarkly documents `test` on `/version` as the flag's version (its `_version`). */
export function applyJsonPatch(flag: LdFlag, body: unknown): PatchOutcome {
  const ops = Array.isArray(body) ? body : (body as { patch?: unknown } | undefined)?.patch;
  const comment = Array.isArray(body) ? undefined : (body as { comment?: unknown }).comment;
  if (body && typeof body === 'object' && !Array.isArray(body) && 'instructions' in body) {
    return fail(
      400,
      'invalid_request',
      'Request body is a semantic patch but Content-Type lacks domain-model=launchdarkly.semanticpatch; it was read as a JSON patch',
    );
  }
  if (!Array.isArray(ops) || ops.length === 0)
    return fail(400, 'invalid_request', 'A JSON patch must be a non-empty array of operations');
  if (comment !== undefined && typeof comment !== 'string')
    return fail(400, 'invalid_request', 'comment must be a string');
  const next = clone(flag) as unknown as Record<string, unknown>;
  const envs = new Set<string>();
  for (const op of ops as { op?: unknown; path?: unknown; value?: unknown }[]) {
    if (typeof op?.op !== 'string' || typeof op.path !== 'string')
      return fail(400, 'invalid_request', 'Each patch operation needs op and path');
    const parts = decodePointer(op.path);
    if (!parts) return fail(400, 'invalid_request', `Invalid JSON pointer ${op.path}`);
    if (parts[0] === 'environments' && parts[1]) envs.add(parts[1]);
    if (op.op === 'test') {
      const actual = op.path === '/version' ? flag._version : getAt(flag, parts);
      if (JSON.stringify(actual) !== JSON.stringify(op.value)) {
        return fail(
          409,
          'conflict',
          `Test operation failed: ${op.path} is ${JSON.stringify(actual)}, not ${JSON.stringify(op.value)}`,
        );
      }
      continue;
    }
    if (parts[0]?.startsWith('_') || parts[0] === 'key')
      return fail(400, 'invalid_request', `${op.path} is not editable`);
    const at = parentOf(next, parts);
    if (!at) return fail(400, 'invalid_request', `Path ${op.path} does not exist`);
    const container = at.parent as Record<string, unknown>;
    if (op.op === 'replace') {
      if (!(at.key in container)) return fail(400, 'invalid_request', `Path ${op.path} does not exist`);
      container[at.key] = clone(op.value);
    } else if (op.op === 'add') {
      if (Array.isArray(at.parent)) {
        const idx = at.key === '-' ? at.parent.length : Number(at.key);
        at.parent.splice(idx, 0, clone(op.value));
      } else container[at.key] = clone(op.value);
    } else if (op.op === 'remove') {
      if (!(at.key in container)) return fail(400, 'invalid_request', `Path ${op.path} does not exist`);
      if (Array.isArray(at.parent)) at.parent.splice(Number(at.key), 1);
      else delete container[at.key];
    } else return fail(400, 'invalid_request', `Unsupported op ${op.op}`);
  }
  const result = next as unknown as LdFlag;
  const invalid = validateFlag(result);
  if (invalid) return fail(400, 'invalid_request', invalid);
  return {
    ok: true,
    flag: result,
    envs: [...envs],
    comment: comment as string | undefined,
    action: 'updateFlag',
    delta: ops,
  };
}

export function applySemanticPatch(flag: LdFlag, body: unknown, environments: string[]): PatchOutcome {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return fail(400, 'invalid_request', 'A semantic patch must be an object');
  const b = body as { comment?: unknown; environmentKey?: unknown; instructions?: unknown };
  if (b.comment !== undefined && typeof b.comment !== 'string')
    return fail(400, 'invalid_request', 'comment must be a string');
  if (!Array.isArray(b.instructions) || b.instructions.length === 0)
    return fail(400, 'invalid_request', 'instructions must be a non-empty array');
  const envKey = b.environmentKey;
  const next = clone(flag);
  const actions: string[] = [];
  for (const ins of b.instructions as Record<string, unknown>[]) {
    const kind = ins?.kind;
    if (
      kind !== 'turnFlagOn' &&
      kind !== 'turnFlagOff' &&
      kind !== 'updateFallthroughVariationOrRollout' &&
      kind !== 'updateOffVariation'
    ) {
      return fail(
        400,
        'invalid_request',
        `Unsupported instruction kind ${String(kind)} (the fake implements turnFlagOn, turnFlagOff, updateFallthroughVariationOrRollout, updateOffVariation)`,
      );
    }
    if (typeof envKey !== 'string') return fail(400, 'invalid_request', `environmentKey is required for ${kind}`);
    if (!environments.includes(envKey)) return fail(400, 'invalid_request', `Unknown environment ${envKey}`);
    const cfg = next.environments[envKey];
    actions.push(kind);
    if (kind === 'turnFlagOn') cfg.on = true;
    else if (kind === 'turnFlagOff') cfg.on = false;
    else if (kind === 'updateOffVariation') {
      // docs/integrations.md 3.3: `updateOffVariation` with `variationId` (an `_id`, not an index).
      const idx = next.variations.findIndex((v) => v._id === ins.variationId);
      if (idx < 0) return fail(400, 'invalid_request', `Unknown variationId ${String(ins.variationId)}`);
      cfg.offVariation = idx;
    } else {
      const idOf = (id: unknown) => next.variations.findIndex((v) => v._id === id);
      if (ins.variationId !== undefined) {
        const idx = idOf(ins.variationId);
        if (idx < 0) return fail(400, 'invalid_request', `Unknown variationId ${String(ins.variationId)}`);
        cfg.fallthrough = { variation: idx };
        continue;
      }
      const weights = ins.rolloutWeights;
      if (!weights || typeof weights !== 'object' || Array.isArray(weights)) {
        return fail(400, 'invalid_request', 'updateFallthroughVariationOrRollout needs variationId or rolloutWeights');
      }
      const rollout: LdRollout = {
        variations: [],
        contextKind: typeof ins.rolloutContextKind === 'string' ? ins.rolloutContextKind : 'user',
      };
      if (typeof ins.rolloutBucketBy === 'string') rollout.bucketBy = ins.rolloutBucketBy;
      for (const [id, w] of Object.entries(weights as Record<string, unknown>)) {
        const idx = idOf(id);
        if (idx < 0) return fail(400, 'invalid_request', `rolloutWeights: unknown variation id ${id}`);
        rollout.variations.push({ variation: idx, weight: w as number });
      }
      rollout.variations.sort((x, y) => x.variation - y.variation);
      cfg.fallthrough = { rollout };
    }
  }
  const invalid = validateFlag(next);
  if (invalid) return fail(400, 'invalid_request', invalid);
  return {
    ok: true,
    flag: next,
    envs: [envKey as string],
    comment: b.comment as string | undefined,
    action: actions.join(','),
  };
}
