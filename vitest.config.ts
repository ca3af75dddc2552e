import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests import `brink` and `brink/testing` from the source, never from a stale dist/ (tsconfig.json's paths say the same).
  resolve: {
    alias: [
      { find: /^brink$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^brink\/testing$/, replacement: fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // test/package/ packs and installs the tarball: `npm run test:package` (CI) runs it.
    exclude: ['test/package/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
