import type { SlackConnection } from '../../shared/kinds/slack';
import type { WebhookConnection } from '../../shared/kinds/webhook';
import type { Http } from './sinks';

/** ≤ 10 s per call (docs/security.md "Every outbound call has a timeout"). */
const TIMEOUT_MS = 10_000;

/** The stale-flag reminder (issue 14): flags, environments and reasons — never code references. */
export interface StaleNotice {
  at: number;
  flags: { connectionId: string; flagKey: string; env: string; reason: string }[];
}

function slackText(flags: StaleNotice['flags']): string {
  const lines = flags.slice(0, 20).map((f) => `• \`${f.flagKey}\` in ${f.env}: ${f.reason}`);
  const more = flags.length > 20 ? `\n…and ${flags.length - 20} more` : '';
  return `:broom: *${flags.length} flag${flags.length === 1 ? '' : 's'} newly stale* — time to clean up\n${lines.join('\n')}${more}`;
}

/** A Slack-compatible incoming webhook: the secret is its URL. */
export async function remindSlack(
  c: SlackConnection,
  notice: StaleNotice,
  secret: string | undefined,
  http: Http,
): Promise<void> {
  if (!secret || !URL.canParse(secret))
    throw new Error(
      `no webhook URL configured${c.tokenEnv ? ` (the variable ${c.tokenEnv} is not set or not a URL)` : ''}`,
    );
  await http({
    vendor: 'Slack webhook',
    method: 'POST',
    url: secret,
    body: { text: slackText(notice.flags) },
    timeoutMs: TIMEOUT_MS,
    idempotent: false,
    redact: secret,
  });
}

/** A generic webhook: versioned JSON, the secret (if any) as a bearer token. */
export async function remindWebhook(
  c: WebhookConnection,
  notice: StaleNotice,
  secret: string | undefined,
  http: Http,
): Promise<void> {
  const headers: Record<string, string> = secret ? { authorization: `Bearer ${secret}` } : {};
  await http({
    vendor: 'Webhook',
    method: 'POST',
    url: c.url,
    headers,
    body: { source: 'rampart', version: 1, reminder: { kind: 'stale-flags', ...notice } },
    timeoutMs: TIMEOUT_MS,
    idempotent: false,
    redact: secret,
  });
}
