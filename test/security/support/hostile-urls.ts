/**
 * Hostile URLs for the navigation guard (isAppUrl) and the openExternal allowlist (isAllowedExternal), built around
 * the vendor hosts a user would configure. Each one must be refused; LEGIT_EXTERNAL / LEGIT_APP must be allowed, so
 * a guard that refuses everything fails the test too.
 */
export const VENDOR_HOSTS = ['unleash.example.com', 'app.launchdarkly.com', 'flags.internal.example.org'] as const;

/** Tricks applied to every allowlisted host H. */
const PER_HOST: ((h: string) => string)[] = [
  (h) => `https://${h}.attacker.com/`,
  (h) => `https://${h}.attacker.com`,
  (h) => `https://${h}-attacker.com/`,
  (h) => `https://attacker${h}/`,
  (h) => `https://attacker-${h}/`,
  (h) => `https://attacker.com/?x=https://${h}`,
  (h) => `https://attacker.com/#https://${h}`,
  (h) => `https://attacker.com/${h}`,
  (h) => `https://attacker.com/redirect?to=https%3A%2F%2F${h}%2F`,
  (h) => `https://${h}@attacker.com/`,
  (h) => `https://${h}:443@attacker.com/`,
  (h) => `https://user:pass@${h}/`,
  (h) => `https://token@${h}/`,
  (h) => `http://${h}/`,
  (h) => `HTTP://${h}/`,
  (h) => `ws://${h}/`,
  (h) => `wss://${h}/`,
  (h) => `ftp://${h}/`,
  (h) => `file://${h}/etc/passwd`,
  (h) => `javascript://${h}/%0Aalert(document.cookie)`,
  (h) => `https://${h}:8443/`,
  (h) => `https://${h}:0/`,
  (h) => `https://${h}%2Eattacker.com/`,
  (h) => `https://${h}%252Eattacker.com/`,
  (h) => `https://${h}%00.attacker.com/`,
  (h) => `https://${h}%2F.attacker.com/`,
  (h) => `https://${h}\n.attacker.com/`,
  (h) => `https://${h}\t.attacker.com/`,
  (h) => `https://${h}\u3002attacker.com/`, // ideographic full stop: IDNA maps it to '.'
  (h) => `https://${h}%20.attacker.com/`,
  (h) => `https://attacker.com\\@${h}/`,
  (h) => `https:/\\attacker.com/${h}`,
  (h) => `//${h}/`,
  (h) => `${h}/`,
  (h) => `blob:https://${h}/0b1c2d3e`,
  (h) => `view-source:https://${h}/`,
  (h) => `smb://${h}/share`,
  (h) => `mailto:security@${h}`,
];

const FIXED: string[] = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\nscript:alert(1)',
  'javascript&colon;alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'file:///etc/passwd',
  'file:///C:/Windows/System32/calc.exe',
  '\\\\attacker.com\\share\\payload.exe',
  'app://evil',
  'app://evil/index.html',
  'app://rampart.evil.com/',
  'app://rampart:8080/index.html',
  'app://evil@rampart/index.html',
  'app://rampart@evil/index.html',
  'app:rampart',
  'app://rampart./index.html',
  'http://rampart/index.html',
  'https://rampart/index.html',
  'chrome://settings',
  'chrome-extension://abcdefghijklmnop/page.html',
  'devtools://devtools/bundled/inspector.html',
  'about:blank',
  'ms-msdt:/id PCWDiagnostic',
  'search-ms:query=calc',
  'x-apple.systempreferences:com.apple.preference.security',
  'intent://scan/#Intent;scheme=zxing;end',
  'https://unleаsh.example.com/', // Cyrillic а
  'https://unleash.ехample.com/', // Cyrillic е, х
  'https://xn--unlesh-6nf.example.com/',
  'https://app.launchdarkIy.com/', // capital I for l
  'https://app.launchdarkly.co/',
  'https://launchdarkly.com/', // the parent of an allowlisted host is not allowlisted
  'https://example.com/',
  'https://example.org/',
  'https://com/',
  'https://127.0.0.1/',
  'https://0x7f.1/',
  'https://2130706433/',
  'https://[::1]/',
  'https://localhost/',
  'https://attacker.com/',
  'https://',
  'https:',
  '',
  ' ',
  '\u200Bhttps://unleash.example.com/',
  'https://unleash.example.com\u0000/',
];

/** The per-host tricks around any list of allowlisted hosts (e.g. the app's fixed vendor sites). */
export function hostileAround(hosts: readonly string[]): string[] {
  return [...new Set(hosts.flatMap((h) => PER_HOST.map((f) => f(h))))];
}

export const HOSTILE_URLS: string[] = [...new Set([...hostileAround(VENDOR_HOSTS), ...FIXED])];

/** Allowed by isAllowedExternal: https, an allowlisted host or its subdomain; case and default port normalized. */
export const LEGIT_EXTERNAL = [
  'https://unleash.example.com/projects/default/features/checkout-v2',
  'https://UNLEASH.example.com/',
  'https://eu.unleash.example.com/',
  'https://unleash.example.com:443/api',
  'https://app.launchdarkly.com/default/production/features/new-checkout?tab=targeting#rules',
  'https://flags.internal.example.org/',
];

/** Allowed by isAppUrl: the app's own origin only. */
export const LEGIT_APP = ['app://rampart/index.html', 'app://rampart/', 'app://rampart/assets/index-abc123.js?v=1#x'];
