import { UNREADABLE_FLAG, type FlagState } from '../../../shared/domain/flags';
import { envStateOf, interpretFlag } from './flagd-model';
import type { FlagEntry } from './flagd-schema';
import { evaluatorsOf, flagVersion, type Snapshot } from './flagd-snapshot';
import { isRecord } from './json-node';

/**
 * One flag of a snapshot as the normalized FlagState. A flag outside the strict shape (flagd-schema.ts) is still
 * listed — with its on/off state, an exposure of null ("unknown", never 0) and its problem as the targeting text —
 * so the list, `flags show` and a rollback of it keep working.
 */
export function flagStateOf(entry: FlagEntry, snap: Snapshot, env: string): FlagState {
  const { key, def } = entry;
  const metadata = isRecord(def.metadata) ? def.metadata : {};
  const head = {
    key,
    name: typeof metadata.name === 'string' ? metadata.name : key,
    ...(typeof metadata.description === 'string' ? { description: metadata.description } : {}),
  };
  const version = flagVersion(snap, def);
  if (entry.problem !== null) {
    return {
      ...head,
      variants: isRecord(def.variants) ? Object.keys(def.variants) : [],
      envs: {
        [env]: {
          enabled: def.state === 'ENABLED',
          exposure: null,
          // What a rollback would do, as flagd-rollback.ts's applyOddRollback does it: a flag that is not an object
          // has no state to set, so the list and `flags show` must not promise one.
          targeting: entry.notAnObject
            ? `${UNREADABLE_FLAG}${entry.problem}. It has no state to turn off: neither a ramp nor a rollback can change it (flagd-core rejects the file) — fix it by hand`
            : `${UNREADABLE_FLAG}${entry.problem}. It will not ramp it; a rollback turns it off (state DISABLED)`,
          version,
        },
      },
    };
  }
  const view = interpretFlag(key, def, evaluatorsOf(snap.raw));
  return { ...head, variants: view.variants, envs: { [env]: { ...envStateOf(view), version } } };
}
