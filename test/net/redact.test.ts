import { describe, expect, it } from 'vitest';
import { MASK, redactText, redactValue, secretsOfCall } from '../../main/net/redact';

/**
 * The masking every vendor answer goes through (main/net/redact.ts). A hostile server may echo a request's
 * credential as it was sent, %-encoded, or base64-encoded inside a larger blob: none of these may reach the UI,
 * CLI or audit.
 */
const TOKEN = 'SuperSecretToken-abcdef0123456789XYZ';
const secrets = secretsOfCall({ authorization: `Bearer ${TOKEN}`, accept: 'application/json' });

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('redaction of what a vendor echoes', () => {
  it('masks the secret as sent, after its scheme, and %-encoded', () => {
    expect(redactText(`got Bearer ${TOKEN}`, secrets)).toBe(`got ${MASK}`);
    expect(redactText(`token=${encodeURIComponent(`a b${TOKEN}`)}`, secretsOfCall({}, [`a b${TOKEN}`]))).toBe(
      `token=${MASK}`,
    );
  });

  it('masks the secret base64-encoded inside a larger blob, at every byte alignment, in both alphabets', () => {
    for (const before of ['', 'a', 'ab', 'authorization=', 'x authorization=']) {
      for (const after of ['', 'z', 'zz', '&scope=all']) {
        for (const encoded of [b64(before + TOKEN + after), b64url(before + TOKEN + after)]) {
          const out = redactText(`token b64: ${encoded}`, secrets);
          expect(out, `${before}|${after}`).toContain(MASK);
          // What is left of the blob decodes to at most 2 bytes of the secret at each end.
          expect(Buffer.from(out.replace(`token b64: `, '').split(MASK).join(''), 'base64').toString()).not.toContain(
            TOKEN.slice(0, 6),
          );
        }
      }
    }
  });

  it('leaves other base64 and protocol header values alone', () => {
    const text = `id ${b64('hello world, this is ordinary content')} as application/json`;
    expect(redactText(text, secrets)).toBe(text);
  });

  it('masks inside bodies, keys included, without touching a body that holds no secret', () => {
    const body = { message: `bad ${b64(`k=${TOKEN}`)}`, [TOKEN]: 1, ok: 'fine' };
    expect(JSON.stringify(redactValue(body, secrets))).not.toMatch(new RegExp(`${TOKEN}|${b64(TOKEN).slice(0, 16)}`));
    const clean = { a: ['b', { c: 'd' }] };
    expect(redactValue(clean, secrets)).toBe(clean);
  });
});
