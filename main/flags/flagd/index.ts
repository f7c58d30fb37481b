export { createFlagdStore, type FlagdStoreOptions } from './flagd-store';
export { parseFlagdText, type FlagdFile } from './flagd-schema';
export { interpretFlag, type FlagView } from './flagd-model';
export { diffFlagdDocs } from './flagd-watch';
