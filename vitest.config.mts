import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests, and end-to-end/component tests that start real servers (Unleash, Prometheus,
// the browser host in Chromium). Both run in `npm test`; neither skips silently when a component is missing.
export default defineConfig({
  test: {
    // The JSON report lets CI print a plain "N passed, N failed" line (scripts/test-summary.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // One retry, and never a silent one: a test that passed only on its second attempt is listed with its first
    // failure by the closing summary (scripts/test-summary.mjs), so a flaky test shows in every CI log without one
    // timing-sensitive test on a loaded 2-core runner failing the whole landing.
    retry: 1,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/components/**', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/components/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // Real servers and a browser: keep them from fighting over 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
