import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.next/', 'drizzle/', 'next-env.d.ts', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      // noUncheckedIndexedAccess makes `arr[i]!` after a bounds check the idiomatic form
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // Pure rules stay apart from IO (docs/architecture.md "Layers"): these modules may not import
  // the file system, processes, sockets or a database driver.
  {
    files: [
      'lib/readiness.ts',
      'lib/screen.ts',
      'lib/names.ts',
      'lib/errors.ts',
      'lib/http-status.ts',
      'lib/control-chars.ts',
      'lib/terminal-text.ts',
      'lib/perms.ts',
      'lib/supervisor/**/*.ts',
      'lib/timeline/**/*.ts',
      'lib/runtimes/**/*.ts',
      'lib/send/verdict.ts',
      'lib/send/text.ts',
      'lib/store/contract.ts',
      'lib/store/registry-contract.ts',
      'lib/store/dag.ts',
      'lib/store/moves.ts',
      'lib/northstar/schema.ts',
      'lib/northstar/plan.ts',
      'lib/northstar/render.ts',
      'lib/roster/rules.ts',
      'lib/roster/schema.ts',
      'lib/contract/!(load).ts',
      'lib/tmux/argv.ts',
      'lib/tmux/takeover.ts',
      'lib/heartbeat/protocol.ts',
      'lib/heartbeat/screen-beat.ts',
      'lib/fleet/ps.ts',
      'lib/auth/throttle.ts',
      'lib/web/roster-form.ts',
      'lib/web/terminal-protocol.ts',
      'lib/web/types.ts',
      'lib/web/safe-next.ts',
      'lib/web/errors.ts',
      'lib/web/roster-problem.ts',
      'server/web/request-guard.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:)?(fs|fs/promises|child_process|net|http|https|dgram|worker_threads)$',
              allowTypeImports: true,
              message: 'a pure rule module does no IO: gather facts in an adapter and pass them in',
            },
            {
              regex: '^(node-pty|pg|@electric-sql/.*|drizzle-orm.*|ws)$',
              message: 'a pure rule module does no IO: gather facts in an adapter and pass them in',
            },
          ],
        },
      ],
    },
  },
  // What runs in the browser never imports what must stay on the server (the store, operations,
  // fleetd's services, the session); types only are fine.
  {
    files: ['components/**/*.tsx', 'components/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '(^|/)lib/(ops|auth|fleet|launch|tmux|systemd|run)/|(^|/)lib/store/(?!contract|registry-contract|moves)|(^|/)lib/web/(services|session|route|action|sign-in)$|^(node:|node-pty|pg$|ws$)',
              allowTypeImports: true,
              message:
                'server-only module: a client component may import its types, never its code',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'framework/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
