import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRuntime } from '../../../../main/host/cli/runtime';
import { fromWireError, RampartError } from '../../../../shared/errors';
import { Connection } from '../../../../shared/domain/connections';
import { Watch } from '../../../../shared/domain/metrics';
import { fieldErrors, serverFieldError } from '../../../../renderer/src/views/connections/field-errors';

describe('field-level messages in plain words', () => {
  it('puts each problem of a connection under its field, without schema jargon', () => {
    const r = Connection.safeParse({ kind: 'unleash', id: 'Bad Id', name: '', url: 'notaurl', tokenEnv: '1x' });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(fieldErrors(r.error)).toEqual({
      id: 'must be lower-case letters, digits and dashes, up to 63 characters',
      name: 'required',
      tokenEnv: 'must be an environment variable name',
      url: 'must be an http(s) URL, e.g. http://127.0.0.1:4242',
    });
    const p = Connection.safeParse({ kind: 'prometheus', id: 'p', name: 'p', url: 'http://x:9090', auth: 'weird' });
    if (!p.success) expect(fieldErrors(p.error).auth).toBe('one of none, bearer, basic');
  });

  it('says bounds the way a person reads them, for a watch', () => {
    const w = Watch.safeParse({
      id: '',
      flagConnectionId: 'a',
      flagKey: 'b',
      env: 'c',
      metricsConnectionId: 'm',
      selector: 's',
      metrics: [],
      thresholds: { confidence: 2, allowedIncrease: 1, passScore: 95, marginalScore: 75 },
    });
    expect(w.success).toBe(false);
    if (w.success) return;
    expect(fieldErrors(w.error)).toMatchObject({
      metrics: 'add at least one',
      'thresholds.confidence': 'less than 1',
      'thresholds.allowedIncrease': 'more than 1',
    });
  });

  it('maps what the core refuses back onto the field it concerns, by the facts the error carries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-fielderr-'));
    const { core, registrar } = openRuntime(dir, { env: {} });
    try {
      const fields = ['id', 'name', 'url', 'tokenEnv'];
      const good = { id: 'u', name: 'U', kind: 'unleash', url: 'http://127.0.0.1:4242', tokenEnv: 'RAMPART_U' };
      const refusal = async (connection: Record<string, unknown>, replace = false) => {
        const env = await registrar.dispatch('connections:save', { connection, replace }, { door: 'http' });
        if (!('error' in env)) throw new Error('expected a refusal');
        return fromWireError(env.error);
      };
      // The registrar's validation issue, the handler's env-var refusal, the handler's "exists already".
      expect(serverFieldError(await refusal({ ...good, url: 'notaurl' }), fields)?.field).toBe('url');
      const env = serverFieldError(await refusal({ ...good, tokenEnv: 'AWS_SECRET' }), fields);
      expect(env).toEqual({ field: 'tokenEnv', message: expect.stringMatching(/AWS_SECRET is neither/) });
      await registrar.call('connections:save', { connection: good as Connection }, { door: 'http' });
      expect(serverFieldError(await refusal(good), fields)?.field).toBe('id');
      // The same wording without the facts is not mapped: the message is for people, not for branching.
      expect(serverFieldError({ message: "A connection 'x' exists already" }, fields)).toBeNull();
      expect(serverFieldError(new RampartError('unauthorized', 'Unleash: 401'), fields)).toBeNull();
    } finally {
      core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
