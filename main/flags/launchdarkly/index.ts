export { createLaunchDarklyStore, type LaunchDarklyStoreOptions } from './launchdarkly-store';
