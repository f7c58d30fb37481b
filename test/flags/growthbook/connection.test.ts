import { describe, expect, it } from 'vitest';
import { GROWTHBOOK_CLI_OPTIONS, GROWTHBOOK_FIELDS, GrowthBookConnection } from '../../../shared/kinds/growthbook';

describe('GrowthBook connection kind', () => {
  it('defaults to GrowthBook Cloud and keeps the shared id, name and secret-reference rules', () => {
    expect(GrowthBookConnection.parse({ id: 'gb', name: 'GB', kind: 'growthbook', tokenEnv: 'RAMPART_GB' })).toEqual({
      id: 'gb',
      name: 'GB',
      kind: 'growthbook',
      tokenEnv: 'RAMPART_GB',
      url: 'https://api.growthbook.io',
    });
    const bad = GrowthBookConnection.safeParse({
      id: 'Not An Id',
      name: 'GB',
      kind: 'growthbook',
      tokenEnv: 'has space',
      url: 'ftp://x',
      environments: ['prod uction'],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['environments.0', 'id', 'tokenEnv', 'url']);
  });

  it('describes every schema field it asks for, in the form and on the CLI', () => {
    const settable = Object.keys(GrowthBookConnection.shape)
      .filter((k) => !['id', 'name', 'kind', 'appKeyEnv', 'hasStoredSecret', 'demo'].includes(k))
      .sort();
    expect(GROWTHBOOK_FIELDS.map((f) => f.name).sort()).toEqual(settable);
    expect(GROWTHBOOK_CLI_OPTIONS.map((o) => o.field).sort()).toEqual(settable);
  });
});
