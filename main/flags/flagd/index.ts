export { createFlagdStore, type FlagdStoreOptions } from './flagd-store';
export { parseFlagdText, type FlagdDocument, type FlagEntry } from './flagd-schema';
export { interpretFlag, type FlagView } from './flagd-model';
export { diffFlagdDocs } from './flagd-watch';
export { evaluateReach } from './flagd-reach';
export { applyRollback } from './flagd-rollback';
