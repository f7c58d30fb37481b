import type { EnvState, FlagChange, FlagState, TreatmentReach } from '../../shared/domain/flags';
import { RampartError } from '../../shared/errors';
import { reachFromState, type FlagStore, type WriteReport } from '../../main/flags/flag-store';

/**
 * A flag store whose every behaviour a rollout test scripts: reads counted and delayed, writes that fail, land
 * silently, land later, or land and then "kill" the vendor; a kill switch by exposure 0 or by turning off; a treatment
 * reach the test can override. Real adapters are tested against real or documented-shape servers elsewhere.
 */
export interface Script {
  /** Thrown by every write (nothing applied). */
  refuse?: RampartError;
  /** Applied, then this is thrown (a timeout or reset after the vendor applied it). */
  applyThenThrow?: RampartError;
  /** Not applied now: thrown at once, applied after `landAfterMs` (a timed-out write the vendor finishes later). */
  landLater?: { error: RampartError; landAfterMs: number };
  /** Acknowledged, never applied. */
  ignore?: boolean;
  /** Every read fails with this (the vendor is down). */
  readError?: RampartError | null;
  /** After the next write applies, reads fail with this (the vendor died right after applying). */
  dieAfterWrite?: RampartError;
  /** Delay of the N-th read (0-based) in ms. */
  readDelays?: Record<number, number>;
  /** The N-th reads (0-based) fail as unreachable. */
  failReads?: number[];
  rollbackBy?: 'zero' | 'off';
  reach?: TreatmentReach;
  report?: WriteReport;
}

export function scriptedStore(initial: EnvState, step = 1) {
  const env = 'production';
  let state: EnvState = { ...initial };
  const script: Script = {};
  const log: string[] = [];
  const history: FlagChange[] = [];
  let reads = 0;
  let rollbackLive: EnvState | null | undefined;

  const flag = (): FlagState => ({
    key: 'checkout-v2',
    name: 'New checkout',
    variants: ['on', 'off'],
    envs: { [env]: { ...state } },
  });

  async function read(): Promise<FlagState> {
    const n = reads++;
    log.push(`read ${n}`);
    const delay = script.readDelays?.[n];
    if (delay) await new Promise((r) => setTimeout(r, delay));
    if (script.readError) throw script.readError;
    if (script.failReads?.includes(n)) throw new RampartError('unreachable', `memory: read ${n} refused`);
    log.push(`read ${n} answered`);
    return flag();
  }

  async function write(what: string, apply: () => void): Promise<WriteReport> {
    log.push(`write ${what}`);
    if (script.refuse) throw script.refuse;
    if (script.landLater) {
      const { error, landAfterMs } = script.landLater;
      setTimeout(apply, landAfterMs);
      throw error;
    }
    if (!script.ignore) apply();
    if (script.dieAfterWrite) script.readError = script.dieAfterWrite;
    if (script.applyThenThrow) throw script.applyThenThrow;
    return script.report ?? {};
  }

  const store: FlagStore = {
    connectionId: 'mem',
    capabilities: () => ({
      exposureStep: step,
      historyHasActors: false,
      writesHaveVersionCheck: false,
      canWatch: false,
    }),
    environments: async () => [{ key: env, name: env }],
    listFlags: async () => [await read()],
    getFlag: async () => read(),
    history: async () => history,
    setExposure: (_k, _e, percent) => write(`exposure ${percent}`, () => (state = { ...state, exposure: percent })),
    setEnabled: (_k, _e, on) => write(`enabled ${on}`, () => (state = { ...state, enabled: on })),
    async rollback(_k, _e, opts) {
      rollbackLive = opts.live;
      return script.rollbackBy === 'off'
        ? write('rollback off', () => (state = { ...state, enabled: false }))
        : write('rollback zero', () => (state = { ...state, exposure: 0 }));
    },
    async treatmentReach() {
      const f = await read();
      return script.reach ?? reachFromState(f.envs[env]);
    },
  };

  return {
    store,
    script,
    log,
    history,
    get state() {
      return state;
    },
    set(next: Partial<EnvState>) {
      state = { ...state, ...next };
    },
    get reads() {
      return reads;
    },
    get rollbackLive() {
      return rollbackLive;
    },
  };
}
