import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The standalone chart bench page (bench/page): recharts + the M4 worker, nothing of the app.
// Output under bench/out/tmp (git-ignored); RAMPART_BENCH_PAGE_OUT moves it (the pixel-check test builds its own).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: process.env.RAMPART_BENCH_PAGE_OUT ?? resolve(import.meta.dirname, '../out/tmp/page'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
});
