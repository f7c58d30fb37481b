/**
 * Known secret strings planted where a careless code path could pick them up. The security tests assert that none
 * of them ever appears in an IPC/HTTP answer, a log line or a file on disk.
 */
export const ENV_TOKEN = 'fuzz-env-token-7f3c9a1e5b2d4c6e8a0b';
export const STORED_TOKEN = 'fuzz-keychain-token-c4e1a7b9d3f5e2a8c6b0';
/** Sent by the fuzzer in connections:setSecret payloads: an error about the payload must not echo it. */
export const PAYLOAD_SECRET = 'fuzz-payload-secret-9d8e7f6a5b4c3d2e1f0a';
export const SECRETS = [ENV_TOKEN, STORED_TOKEN, PAYLOAD_SECRET];

/** The secrets (whole, or a distinctive 16-character slice of one) found in `text`. */
export function secretsIn(text: string, secrets: readonly string[] = SECRETS): string[] {
  return secrets.filter((s) => text.includes(s) || text.includes(s.slice(-16)));
}
