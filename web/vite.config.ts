import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The classroom's pages. Rooted at web/ so vitest keeps its own vitest.config.ts at the repo root.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
