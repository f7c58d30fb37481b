import type { client } from '@datadog/datadog-api-client';
import { isRampartError } from '../../../shared/errors';
import type { MetricName, ProbeCheck, Series } from '../metrics-provider';
import { plainNetworkError } from '../plain-errors';
import { datadogClient } from './load-client';

type Configure = (idempotent: boolean, signal?: AbortSignal) => Promise<client.Configuration>;

/**
 * Metric search (`GET /api/v1/search?q=metrics:<text>`): Datadog returns names containing the text, at most a few
 * hundred. Without a filter it searches for the HTTP semantic-convention names Rampart's templates read.
 */
export async function datadogListMetrics(
  configure: Configure,
  like: string | undefined,
  signal?: AbortSignal,
): Promise<MetricName[]> {
  const { v1 } = await datadogClient();
  const terms = like && like.trim().length > 0 ? [like.trim()] : ['http.server'];
  const names = new Set<string>();
  for (const q of terms) {
    const res = await new v1.MetricsApi(await configure(true, signal)).listMetrics({ q: `metrics:${q}` });
    for (const n of res.results?.metrics ?? []) names.add(n);
  }
  return [...names].map((name) => ({ name, type: null, unit: null, help: null }));
}

/** `connections:test` for Datadog: the API key validates (`GET /api/v1/validate`), then the probe query answers. */
export async function checkDatadog(
  configure: Configure,
  probe: string | null,
  range: (query: string, from: number, to: number, stepMs: number, signal?: AbortSignal) => Promise<Series[]>,
  signal?: AbortSignal,
): Promise<ProbeCheck[]> {
  const checks: ProbeCheck[] = [];
  try {
    const { v1 } = await datadogClient();
    const res = await new v1.AuthenticationApi(await configure(true, signal)).validate();
    if (res.valid !== true) {
      checks.push({
        name: 'API key',
        ok: false,
        detail: 'Datadog did not confirm the API key as valid (GET /api/v1/validate)',
      });
      return checks;
    }
    checks.push({ name: 'API key', ok: true, detail: 'Datadog validates the API key' });
  } catch (e) {
    const status = isRampartError(e) ? (e.details as { status?: number } | undefined)?.status : undefined;
    checks.push({
      name: 'API key',
      ok: false,
      detail:
        status === 403 || status === 401
          ? 'Datadog rejected the API key (HTTP 403 on /api/v1/validate): check the key and the site'
          : plainNetworkError(e),
    });
    return checks;
  }
  if (probe === null) return checks;
  try {
    const to = Date.now();
    const found = await range(probe, to - 15 * 60_000, to, 60_000, signal);
    const withData = found.filter((s) => s.v.some(Number.isFinite)).length;
    checks.push(
      withData > 0
        ? {
            name: 'probe query',
            ok: true,
            detail: `${withData} series with data in the last 15 min for ${probe} (the application key can query)`,
          }
        : { name: 'probe query', ok: false, detail: `no series match ${probe} in the last 15 min` },
    );
  } catch (e) {
    checks.push({ name: 'probe query', ok: false, detail: isRampartError(e) ? e.message : String(e) });
  }
  return checks;
}
