import { afterEach, describe, expect, it } from 'vitest';
import { createDatadogProvider } from '../../../main/metrics/datadog/datadog-provider';
import { parseDatadogQuery, toV1Expression } from '../../../main/metrics/datadog/query-plan';
import { tagsToLabels } from '../../../main/metrics/datadog/response';
import { datadogBaseUrl } from '../../../main/metrics/datadog/site';
import type { HttpDeps } from '../../../main/net/http-client';

describe('Datadog site → API base URL', () => {
  it.each([
    ['datadoghq.com', 'https://api.datadoghq.com'],
    ['datadoghq.eu', 'https://api.datadoghq.eu'],
    ['us3.datadoghq.com', 'https://api.us3.datadoghq.com'],
    ['us5.datadoghq.com', 'https://api.us5.datadoghq.com'],
    ['ap1.datadoghq.com', 'https://api.ap1.datadoghq.com'],
    ['ddog-gov.com', 'https://api.ddog-gov.com'],
    ['app.datadoghq.eu', 'https://api.datadoghq.eu'],
    ['http://127.0.0.1:8125/', 'http://127.0.0.1:8125'],
    ['https://dd-proxy.internal/datadog/', 'https://dd-proxy.internal/datadog'],
  ])('%s → %s', (site, url) => {
    expect(datadogBaseUrl(site)).toBe(url);
  });

  it.each(['example.com', 'datadoghq.com.attacker.net', 'evil-datadoghq.com', 'api.datadoghq.com@evil.net', ''])(
    'refuses %j: keys would go elsewhere',
    (site) => {
      expect(() => datadogBaseUrl(site)).toThrow(/unknown site/);
    },
  );

  it('refuses a URL carrying credentials or a query string', () => {
    expect(() => datadogBaseUrl('https://user:pw@proxy.internal')).toThrow(/must not carry credentials/);
    expect(() => datadogBaseUrl('https://proxy.internal/?api_key=x')).toThrow(/must not carry credentials/);
  });
});

describe("Datadog provider sends to the connection's site, whatever DD_SITE says", () => {
  const saved = process.env.DD_SITE;
  afterEach(() => {
    if (saved === undefined) delete process.env.DD_SITE;
    else process.env.DD_SITE = saved;
  });

  it('a us3 connection calls https://api.us3.datadoghq.com even with DD_SITE=datadoghq.eu in the environment', async () => {
    process.env.DD_SITE = 'datadoghq.eu'; // the client's createConfiguration rewrites its global servers from this
    const urls: string[] = [];
    const http: HttpDeps = {
      fetch: async (input) => {
        urls.push(String(input));
        const body = { data: { type: 'timeseries_response', attributes: { series: [], times: [], values: [] } } };
        return new Response(JSON.stringify(body), {
          status: 200,
          headers: { 'content-type': 'application/vnd.api+json' },
        });
      },
      sleep: async () => undefined,
      now: () => 0,
      random: () => 0.5,
    };
    const p = createDatadogProvider({
      connection: { id: 'dd', name: 'DD', kind: 'datadog', site: 'us3.datadoghq.com', postEvents: false },
      apiKey: 'k',
      appKey: 'a',
      deps: { http },
    });
    expect(await p.range('avg:system.cpu.user{*}', 1_700_000_000_000, 1_700_000_060_000, 60_000)).toEqual([]);
    expect(urls).toEqual(['https://api.us3.datadoghq.com/api/v2/query/timeseries']);
  });
});

describe('Datadog query plans', () => {
  it('a plain query is query "a" with formula "a"', () => {
    expect(parseDatadogQuery(' avg:x{*} by {host} ')).toEqual({
      queries: [{ name: 'a', query: 'avg:x{*} by {host}' }],
      formula: 'a',
    });
  });

  it('parses "formula = …; name = query; …" and expands it for v1 with parenthesised queries', () => {
    const plan = parseDatadogQuery(
      'formula = abs(errors) / total * 100; errors = sum:e{*}.as_count(); total = sum:t{*}.as_count()',
    );
    expect(plan).toEqual({
      formula: 'abs(errors) / total * 100',
      queries: [
        { name: 'errors', query: 'sum:e{*}.as_count()' },
        { name: 'total', query: 'sum:t{*}.as_count()' },
      ],
    });
    expect(toV1Expression(plan)).toBe('abs((sum:e{*}.as_count())) / (sum:t{*}.as_count()) * 100');
  });

  it.each([
    ['formula = a / c; a = sum:x{*}', /uses "c"/],
    ['a = sum:x{*}; b = sum:y{*}', /no "formula = …"/],
    ['formula = a; a = sum:x{*}; a = sum:y{*}', /defined twice/],
    ['formula = a; sum:x{*}', /is not "name = query"/],
    ['formula = a; A = sum:x{*}', /must be lower-case/],
    ['   ', /empty/],
  ])('rejects %j', (text, why) => {
    expect(() => parseDatadogQuery(text)).toThrow(why);
  });

  it('group tags become labels: key:value split at the first colon; a bare tag maps to ""', () => {
    expect(tagsToLabels(['feature_flag.result.variant:on', 'url:http://x', 'canary'])).toEqual({
      'feature_flag.result.variant': 'on',
      url: 'http://x',
      canary: '',
    });
  });
});
