/**
 * The channel names alone, without zod, so the preload bundle stays tiny. A type test keeps this list equal to
 * the keys of `requests` and `events` (test/shared/contract.test.ts).
 */
export const REQUEST_CHANNELS = [
  'app:info',
  'connections:list',
  'connections:save',
  'connections:remove',
  'connections:setSecret',
  'connections:test',
  'flags:list',
  'flags:get',
  'flags:history',
  'flags:ramp',
  'flags:rollback',
  'watches:list',
  'watches:forFlag',
  'watches:save',
  'watches:remove',
  'series:range',
  'verdict:get',
  'incident:analyze',
  'audit:list',
  'judge:run',
] as const;

export const EVENT_NAMES = ['flags:changed', 'series:tick', 'audit:appended', 'provider:health'] as const;
