import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Our folders sit at the top level (main/, preload/, renderer/), so every entry and the renderer root are explicit.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // index: the Electron main process; cli: the `rampart` command and browser host (plain Node);
        // code-refs-worker: the code-reference search's worker thread (main/lifecycle/code-refs/run-scan.ts loads it);
        // core-worker: the core's judge and series-cache threads (main/core/workers/pool.ts loads it).
        input: {
          index: resolve(__dirname, 'main/electron/index.ts'),
          cli: resolve(__dirname, 'main/host/cli/index.ts'),
          'code-refs-worker': resolve(__dirname, 'main/lifecycle/code-refs/scan-worker.ts'),
          'core-worker': resolve(__dirname, 'main/core/workers/core-worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves bundles unminified; the renderer is also served to browsers, and cold start counts.
      minify: true,
      sourcemap: false,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
