/** Vite's `import.meta.glob` (resolved at build time), for optional views another package of the app may add. */
interface ImportMeta {
  glob<T = unknown>(pattern: string, options: { eager: true }): Record<string, T>;
}
