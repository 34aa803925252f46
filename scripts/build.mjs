// Bundle the `fleet` CLI into dist/ with esbuild. Agents call `fleet` from their panes, so
// startup matters: bundled it starts in a fraction of the time it takes through tsx
// (docs/pitfalls.md "CLI start-up").
// Heavy modules (fleetd, PGlite, Next) load through dynamic import() into separate chunks,
// so a short CLI call never parses them.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const common = {
  outdir: 'dist',
  bundle: true,
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
};

// the CLI's modules, split so each command loads only its own (cli/commands.ts); fleet.mjs is
// the entry built as ES modules, kept runnable for units and scripts set up to call that name
await build({
  ...common,
  entryPoints: { fleet: 'cli/entry.ts', cli: 'cli/main.ts' },
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __fleetCreateRequire } from 'node:module';",
      'const require = __fleetCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});

// dist/fleet.cjs, the program `fleet` runs: the same entry as one CommonJS file, so an agent's
// report on its card never starts Node's ES module loader (docs/pitfalls.md "CLI start-up");
// any other command imports dist/cli.mjs from the build above
await build({
  ...common,
  entryPoints: { fleet: 'cli/entry.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [
    {
      name: 'full-cli-stays-esm',
      setup(b) {
        b.onResolve({ filter: /^\.\/main\.js$/ }, () => ({ path: './cli.mjs', external: true }));
      },
    },
  ],
});
for (const f of ['dist/fleet.mjs', 'dist/fleet.cjs']) chmodSync(f, 0o755);
// the store's thread is started from its own file, beside the chunk that starts it
// (lib/store/pglite-remote.ts)
copyFileSync('lib/store/pglite-thread.mjs', 'dist/pglite-thread.mjs');
