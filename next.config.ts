// Typed from next's config module, not the `next` root: importing the root pulls next's global
// types into the project's one tsconfig, which makes NODE_ENV a required key of every
// NodeJS.ProcessEnv (and so breaks env allowlists built as `{}`).
import type { NextConfig } from 'next/dist/server/config-shared';

const config: NextConfig = {
  poweredByHeader: false,
  // The shared lib/ is ESM TypeScript imported with `.js` suffixes (as the CLI bundle and tsx
  // need). Turbopack in next 16.4 cannot map `.js` to `.ts` (vercel/next.js#82945), so the panel
  // builds with webpack (`next build --webpack`) and this alias.
  webpack(cfg: { resolve: { extensionAlias?: Record<string, string[]> } }) {
    cfg.resolve.extensionAlias = { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'] };
    return cfg;
  },
  // `npm run typecheck` (tsc over the whole project) is the type gate; Next's own check would
  // run with next's global types (see above). tsconfig.next.json is the file Next may rewrite.
  typescript: { ignoreBuildErrors: true, tsconfigPath: 'tsconfig.next.json' },
  serverExternalPackages: ['node-pty', '@electric-sql/pglite', 'pg', 'better-auth', 'drizzle-orm'],
};

export default config;
