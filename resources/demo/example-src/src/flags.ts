import { OpenFeature } from '@openfeature/server-sdk';

// One client for the shop; the provider (flagd) is set at start-up.
export const flags = OpenFeature.getClient('shop');

export interface Visitor {
  targetingKey: string;
  email?: string;
}
