import { z } from 'zod';
import { base, defineKind } from './common';

/** The demo's simulated service: traffic computed from a flag connection's exposure timeline. */
export const SimulatedConnection = z.object({ ...base, kind: z.literal('simulated'), flagConnectionId: z.string() });
export type SimulatedConnection = z.infer<typeof SimulatedConnection>;

export const simulatedKind = defineKind<SimulatedConnection, 'metrics'>({
  kind: 'simulated',
  role: 'metrics',
  label: 'Simulated service (demo)',
  schema: SimulatedConnection,
  fields: [
    { name: 'flagConnectionId', label: 'Flag connection it simulates traffic for', type: 'connection', required: true },
  ],
  cli: [
    {
      option: 'flag-connection',
      field: 'flagConnectionId',
      type: 'string',
      help: 'the flag connection it simulates traffic for',
    },
  ],
  secrets: () => [],
  target: (c) => `simulates traffic for ${c.flagConnectionId}`,
});
