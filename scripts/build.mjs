// Bundle the `fleet` CLI into dist/ with esbuild. Agents call `fleet` from their panes, so
// startup matters: bundled ESM starts in ~60 ms vs ~290 ms through tsx (docs/pitfalls.md "CLI start-up").
// Heavy modules (fleetd, PGlite, Next) load through dynamic import() into separate chunks,
// so a short CLI call never parses them.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { fleet: 'cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // native addons, wasm-carrying and framework packages stay in node_modules
  external: [
    'node-pty',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    'pg',
    'pg-native',
    'next',
    'react',
    'react-dom',
    'better-auth',
    'drizzle-orm',
    'drizzle-kit',
    'ws',
  ],
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __fleetCreateRequire } from 'node:module';",
      'const require = __fleetCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
chmodSync('dist/fleet.mjs', 0o755);
