export { createUnleashStore, type UnleashStoreOptions } from './unleash-store';
