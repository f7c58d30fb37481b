import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The standalone chart bench page (bench/page): the app's own TimeChart and M4 worker, fed generated columns.
// Output under bench/out/tmp (git-ignored); RAMPART_BENCH_PAGE_OUT moves it (the pixel-check test builds its own).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  plugins: [react()],
  resolve: {
    alias: { 'rampart-shipped-chart': resolve(import.meta.dirname, '../../renderer/src/charts/TimeChart.tsx') },
  },
  build: {
    outDir: process.env.RAMPART_BENCH_PAGE_OUT ?? resolve(import.meta.dirname, '../out/tmp/page'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
});
