import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `@/x` is the project root's x, as in tsconfig.json's paths
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Browser end-to-end tests (`npm run e2e`): real fleetd with the web panel, real tmux with stub
 * agents, real Chromium through playwright-core. One file at a time: each starts its own server.
 */
export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    globalSetup: ['e2e/global-setup.ts'],
  },
});
