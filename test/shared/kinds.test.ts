import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Connection,
  FLAG_STORE_KINDS,
  isFlagConnection,
  METRICS_KINDS,
  NOTIFY_KINDS,
} from '../../shared/domain/connections';
import { ALL_KINDS, cliOptions, KINDS, secretsNeeded, specOfKind } from '../../shared/kinds';
import { MAIN_KINDS } from '../../main/kinds';

describe('the connection-kind registry', () => {
  it('has one record per kind of the contract, in both registries, with the same role lists', () => {
    const unionKinds = Connection.options.map((o) => o.shape.kind.value).sort();
    expect([...ALL_KINDS].sort()).toEqual(unionKinds);
    expect(Object.keys(MAIN_KINDS).sort()).toEqual(unionKinds);
    expect([...FLAG_STORE_KINDS, ...METRICS_KINDS, ...NOTIFY_KINDS].sort()).toEqual(unionKinds);
    for (const k of ALL_KINDS) expect(KINDS[k].kind).toBe(k);
  });

  it('asks in the form for every field a kind has, and only for those', () => {
    for (const k of ALL_KINDS) {
      const spec = specOfKind(k);
      const shape = (spec.schema as unknown as z.ZodObject).shape;
      const fields = spec.fields.map((f) => f.name);
      for (const f of fields) expect(Object.keys(shape), `${k}: form field ${f}`).toContain(f);
      // Every secret the kind reads has its env-var field.
      const secretFields = spec.fields.filter((f) => f.type === 'envvar').map((f) => f.name);
      expect(
        secretFields.length > 0 ||
          spec.secrets(spec.schema.parse({ id: 'x', name: 'x', kind: k, ...sample(k) })).length === 0,
        k,
      ).toBe(true);
    }
  });

  it('gives one CLI option one field and one type whichever kind takes it, and covers every form field', () => {
    const seen = new Map<string, string>();
    for (const k of ALL_KINDS) {
      for (const o of specOfKind(k).cli) {
        const sig = `${o.field}:${o.type}:${o.list === true}`;
        expect(seen.get(o.option) ?? sig, `--${o.option} of ${k}`).toBe(sig);
        seen.set(o.option, sig);
      }
      const fromCli = specOfKind(k).cli.map((o) => o.field);
      for (const f of specOfKind(k).fields) expect(fromCli, `${k}: --option for ${f.name}`).toContain(f.name);
    }
    expect(cliOptions().find((o) => o.option === 'url')?.kinds).toEqual(
      expect.arrayContaining(['unleash', 'prometheus', 'webhook']),
    );
  });

  it('knows which secrets a connection needs as configured', () => {
    const prom = Connection.parse({ id: 'p', name: 'p', kind: 'prometheus', url: 'http://127.0.0.1:9090' });
    expect(secretsNeeded(prom)).toEqual([]);
    expect(secretsNeeded({ ...prom, auth: 'basic' } as Connection)).toEqual(['token']);
    expect(secretsNeeded(Connection.parse({ id: 'd', name: 'd', kind: 'datadog' }))).toEqual(['token', 'appKey']);
    expect(secretsNeeded(Connection.parse({ id: 'f', name: 'f', kind: 'flagd', file: '/x.json' }))).toEqual([]);
    expect(isFlagConnection(Connection.parse({ id: 'f', name: 'f', kind: 'flagd', file: '/x.json' }))).toBe(true);
  });
});

/** The smallest valid value of each kind's own required fields. */
function sample(kind: string): Record<string, unknown> {
  const byKind: Record<string, Record<string, unknown>> = {
    flagd: { file: '/f.json' },
    unleash: { url: 'http://127.0.0.1:1' },
    flagsmith: { project: '1' },
    launchdarkly: { project: 'p' },
    simulated: { flagConnectionId: 'f' },
    prometheus: { url: 'http://127.0.0.1:1' },
    webhook: { url: 'http://127.0.0.1:1' },
    grafana: { url: 'http://127.0.0.1:1' },
    alertmanager: { action: 'pause' },
  };
  return byKind[kind] ?? {};
}
