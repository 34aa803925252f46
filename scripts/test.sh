#!/usr/bin/env bash
# The one test command (`npm test`): installs what the tests need, then runs every check and
# every suite — unit, integration (real tmux, PGlite, PostgreSQL), real runtimes, and the
# browser end-to-end tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --for-tests
npm run build
npm run typecheck
npm run lint
npm run format:check
npx vitest run
if [[ -f test/real-runtimes.sh ]]; then bash test/real-runtimes.sh; fi
if [[ -f playwright.config.ts ]]; then npm run e2e; fi
echo "all tests passed"
