export { createGrowthBookStore, type GrowthBookStoreOptions } from './growthbook-store';
