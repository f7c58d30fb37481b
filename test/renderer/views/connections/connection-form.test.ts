import { describe, expect, it } from 'vitest';
import {
  Connection,
  FLAG_STORE_KINDS,
  METRICS_KINDS,
  NOTIFY_KINDS,
  type ConnectionKind,
} from '../../../../shared/domain/connections';
import {
  FIELDS,
  buildConnection,
  initialValues,
  isVisible,
  needsSecret,
  slugify,
  usesSecret,
} from '../../../../renderer/src/views/connections/connection-fields';

const filled: Record<ConnectionKind, Record<string, string | boolean>> = {
  flagd: { file: '/tmp/flags.json' },
  unleash: { url: 'http://127.0.0.1:4242', tokenEnv: 'UNLEASH_TOKEN' },
  flagsmith: { project: '12', tokenEnv: 'FS_TOKEN' },
  launchdarkly: { project: 'default', tokenEnv: 'LD_TOKEN' },
  growthbook: { url: 'http://127.0.0.1:3100', environments: 'production, staging', tokenEnv: 'RAMPART_GB_KEY' },
  simulated: { flagConnectionId: 'demo-flags' },
  prometheus: { url: 'http://127.0.0.1:9090' },
  datadog: { tokenEnv: 'DD_API_KEY', appKeyEnv: 'DD_APP_KEY', postEvents: true },
  slack: { tokenEnv: 'RAMPART_SLACK_WEBHOOK' },
  webhook: { url: 'https://hooks.example.com/rampart' },
  pagerduty: { tokenEnv: 'RAMPART_PAGERDUTY_KEY' },
  grafana: { url: 'http://127.0.0.1:3000', tokenEnv: 'RAMPART_GRAFANA_TOKEN' },
  alertmanager: { action: 'rollback', tokenEnv: 'RAMPART_AM_TOKEN' },
};

describe('connection form', () => {
  it('builds, for every kind, a payload the contract’s Connection schema accepts', () => {
    for (const kind of [...FLAG_STORE_KINDS, ...METRICS_KINDS, ...NOTIFY_KINDS]) {
      const values = { ...initialValues(kind), id: `my-${kind}`, name: `My ${kind}`, ...filled[kind] };
      const parsed = Connection.safeParse(buildConnection(kind, values));
      expect(parsed.success, `${kind}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
      if (parsed.success) expect(parsed.data.kind).toBe(kind);
    }
  });

  it('turns a comma-separated list field into an array, and shows an array back as one', () => {
    const values = { ...initialValues('growthbook'), id: 'gb', name: 'GB', ...filled.growthbook };
    const c = Connection.parse(buildConnection('growthbook', values));
    expect(c).toMatchObject({ kind: 'growthbook', environments: ['production', 'staging'] });
    expect(initialValues('growthbook', c).environments).toBe('production, staging');
  });

  it('never has a field for a secret itself — only names of environment variables', () => {
    for (const fields of Object.values(FIELDS)) {
      for (const f of fields) expect(f.name).not.toMatch(/^(token|secret|password|apiKey|appKey)$/i);
    }
    expect(usesSecret('unleash')).toBe(true);
    expect(usesSecret('flagd')).toBe(false);
  });

  it('drops hidden and empty fields so schema defaults apply, and keeps an edited connection’s flags', () => {
    const values = {
      ...initialValues('prometheus'),
      id: 'p',
      name: 'P',
      url: 'http://h:9090',
      auth: 'none',
      username: 'ignored',
      tokenEnv: 'X',
    };
    const c = buildConnection('prometheus', values) as Record<string, unknown>;
    expect(c.username).toBeUndefined(); // only shown for basic auth
    expect(c.tokenEnv).toBeUndefined();
    expect(
      isVisible(
        FIELDS.prometheus.find((f) => f.name === 'username')!,
        { auth: 'basic' },
      ),
    ).toBe(true);
    const existing = {
      kind: 'flagd',
      id: 'd',
      name: 'Demo',
      file: '/f',
      environment: 'production',
      demo: true,
    } as const;
    expect(buildConnection('flagd', initialValues('flagd', existing), existing)).toMatchObject({
      demo: true,
      file: '/f',
      id: 'd',
    });
  });

  it('proposes an id the schema accepts from a display name', () => {
    expect(slugify('Prod Unleash (EU) #2')).toBe('prod-unleash-eu-2');
  });
});

describe('secret column', () => {
  it('says a Prometheus without auth needs no secret, and one with auth does', () => {
    const prom = { kind: 'prometheus', id: 'p', name: 'P', url: 'http://h:9090', auth: 'none' } as const;
    expect(needsSecret(prom)).toBe(false);
    expect(needsSecret({ ...prom, auth: 'bearer' })).toBe(true);
    expect(
      needsSecret({ kind: 'unleash', id: 'u', name: 'U', url: 'http://h', project: 'default', rollbackMode: 'off' }),
    ).toBe(true);
    expect(needsSecret({ kind: 'flagd', id: 'f', name: 'F', file: '/f', environment: 'production' })).toBe(false);
  });
});
