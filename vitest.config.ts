import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `@/x` is the project root's x, as in tsconfig.json's paths
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'lib/**/*.test.ts',
            'cli/**/*.test.ts',
            'server/**/*.test.ts',
            'components/**/*.test.ts',
          ],
          environment: 'node',
          // the git adapter's tests spawn real git: a loaded 2-core machine needs more than 5 s
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
