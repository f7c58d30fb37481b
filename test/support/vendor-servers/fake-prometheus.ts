import { route, startFakeHttp, type FakeHttpServer, type RecordedRequest } from './fake-http';

/**
 * Just enough of the Prometheus HTTP API (v2.42 shapes, docs/querying/api.md) for the secrets tests: buildinfo,
 * query_range and query (two series split by `feature_flag_result_variant`), metric names and metadata. It
 * requires an Authorization header (bearer or basic, as a reverse proxy in front of Prometheus would).
 */
export async function startFakePrometheus(): Promise<FakeHttpServer> {
  const variants = ['on', 'off'];
  const handle = (req: RecordedRequest) => {
    if (!req.headers.authorization) return { status: 401, body: 'Unauthorized' };
    const form = new URLSearchParams(req.method === 'POST' ? req.rawBody : req.query.toString());
    if (req.path === '/api/v1/status/buildinfo')
      return {
        status: 200,
        body: {
          status: 'success',
          data: {
            version: '2.42.0',
            revision: 'fake',
            branch: 'HEAD',
            buildUser: 'fake',
            buildDate: '20230131',
            goVersion: 'go1.19',
          },
        },
      };
    if (req.path === '/api/v1/query_range') {
      const start = Number(form.get('start'));
      const end = Number(form.get('end'));
      const step = Math.max(1, Number(form.get('step')) || 60);
      const values = (v: string) => {
        const out: [number, string][] = [];
        for (let t = start; t <= end && out.length < 11_000; t += step) out.push([t, v === 'on' ? '0.31' : '0.3']);
        return out;
      };
      return {
        status: 200,
        body: {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: variants.map((v) => ({ metric: { feature_flag_result_variant: v }, values: values(v) })),
          },
        },
      };
    }
    if (req.path === '/api/v1/query') {
      const t = Number(form.get('time')) || Date.now() / 1000;
      return {
        status: 200,
        body: {
          status: 'success',
          data: {
            resultType: 'vector',
            result: variants.map((v) => ({ metric: { feature_flag_result_variant: v }, value: [t, '1'] })),
          },
        },
      };
    }
    if (route('/api/v1/label/:name/values', req.path))
      return { status: 200, body: { status: 'success', data: ['http_server_request_duration_seconds_bucket', 'up'] } };
    if (req.path === '/api/v1/metadata') return { status: 200, body: { status: 'success', data: {} } };
    return { status: 404, body: { status: 'error', errorType: 'not_found', error: `no route ${req.path}` } };
  };
  return startFakeHttp(handle);
}
