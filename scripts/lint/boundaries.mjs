/**
 * The import boundaries (docs/design.md, issue 13), as ESLint `no-restricted-imports` blocks, one per layer. Kept in
 * their own module so test/scripts/import-boundaries.test.ts can prove that a deliberately wrong import fails.
 *
 * - `electron` only in main/electron and preload;
 * - the core does not reach up into the doors (main/host);
 * - adapters (main/flags, main/metrics, main/notify) do not reach into the core or the store: they get what they
 *   need as arguments;
 * - the renderer does not import main;
 * - shared/ (the contract, domain, statistics — loaded by both sides) imports neither main nor the renderer nor
 *   any Node API.
 */

const NODE_BUILTINS = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

const ELECTRON = {
  name: 'electron',
  message:
    'electron is imported only in main/electron and preload (docs/design.md): take what you need as an argument.',
};

const layer = (files, patterns, paths = [ELECTRON], ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

const up = (segment, why) => ({ group: [`**/${segment}`, `**/${segment}/**`], message: why });

export const boundaries = [
  // The app's code outside main/electron and preload: no electron (tests of main/electron mock it).
  layer(['main/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'], [], [ELECTRON], ['main/electron/**']),
  layer(
    ['main/core/**/*.ts'],
    [up('host', 'the core does not import the doors (main/host): the doors wrap the core, not the other way round.')],
  ),
  layer(
    ['main/flags/**/*.ts', 'main/metrics/**/*.ts', 'main/notify/**/*.ts'],
    [
      up(
        'core',
        'adapters do not import the core: they get what they need as arguments (main/kinds/types.ts AdapterDeps).',
      ),
      up('store', 'adapters do not import the store: the core reads and writes it around them.'),
    ],
  ),
  layer(
    ['renderer/**/*.{ts,tsx}'],
    [up('main', 'the renderer talks to the core only through the contract (shared/contract) and window.rampart.')],
  ),
  layer(
    ['shared/**/*.ts'],
    [
      up('main', 'shared/ is loaded by both sides: it must not import main/.'),
      up('renderer', 'shared/ is loaded by both sides: it must not import the renderer.'),
      { group: ['node:*'], message: 'shared/ runs in the renderer too: no Node APIs.' },
    ],
    [ELECTRON, ...NODE_BUILTINS.map((name) => ({ name, message: 'shared/ runs in the renderer too: no Node APIs.' }))],
  ),
];
