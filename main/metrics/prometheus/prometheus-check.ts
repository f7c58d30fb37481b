import { isRampartError } from '../../../shared/errors';
import type { InstantSample, ProbeCheck } from '../metrics-provider';
import type { PromClient } from './prometheus-http';
import { PromBuildInfo } from './response';
import { plainNetworkError } from '../plain-errors';

/**
 * `connections:test` for Prometheus (docs/design.md, Connections): contact the server and prove what Rampart
 * needs — that it IS a Prometheus API (`/api/v1/status/buildinfo` answers with a version), and that it answers the
 * watch's probe query with series. A closed port, a misspelt host and a web server that is not Prometheus each
 * fail the first check with what went wrong, in plain words.
 */
export async function checkPrometheus(
  client: PromClient,
  probe: string | null,
  instant: (query: string, at: number, signal?: AbortSignal) => Promise<InstantSample[]>,
  signal?: AbortSignal,
): Promise<ProbeCheck[]> {
  const checks: ProbeCheck[] = [];
  try {
    const body = await client.call('api/v1/status/buildinfo', { query: null, signal, maxAttempts: 1 });
    const info = PromBuildInfo.safeParse(body);
    if (!info.success) {
      checks.push({
        name: 'Prometheus API',
        ok: false,
        detail:
          'the server answered /api/v1/status/buildinfo, but not as Prometheus does ({"status":"success","data":{"version":…}}): this URL is not a Prometheus API',
      });
      return checks;
    }
    checks.push({
      name: 'Prometheus API',
      ok: true,
      detail: `Prometheus ${info.data.data.version} answers /api/v1/status/buildinfo`,
    });
  } catch (e) {
    const status = isRampartError(e) ? (e.details as { status?: number } | undefined)?.status : undefined;
    const detail =
      status === 404
        ? 'the server answered HTTP 404 for /api/v1/status/buildinfo: this URL is not a Prometheus API (check the host, port and path prefix)'
        : plainNetworkError(e);
    checks.push({ name: 'Prometheus API', ok: false, detail });
    return checks;
  }
  if (probe === null) return checks;
  try {
    const found = await instant(probe, Date.now(), signal);
    checks.push(
      found.length > 0
        ? { name: 'probe query', ok: true, detail: `${found.length} series match ${probe}` }
        : { name: 'probe query', ok: false, detail: `no series match ${probe}` },
    );
  } catch (e) {
    checks.push({ name: 'probe query', ok: false, detail: isRampartError(e) ? e.message : String(e) });
  }
  return checks;
}
