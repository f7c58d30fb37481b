export { createFlagsmithStore, type FlagsmithStoreOptions } from './flagsmith-store';
