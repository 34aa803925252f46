#!/usr/bin/env bash
# Real runtimes through the fleet (pi, Claude Code, Codex, opencode from npm): run by
# scripts/test.sh after the suites. Details and knobs in test/real-runtimes.ts; then Claude
# Code and Codex coming back on their conversation after a restart (test/real-resume.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# one install of the runtimes for both scripts, removed afterwards (unless given)
if [[ -z "${REAL_RUNTIMES_PREFIX:-}" ]]; then
  REAL_RUNTIMES_PREFIX="$(mktemp -d "${TMPDIR:-/tmp}/mf-rt-XXXXXX")"
  export REAL_RUNTIMES_PREFIX
  trap 'rm -rf "$REAL_RUNTIMES_PREFIX"' EXIT
fi
npx tsx test/real-runtimes.ts
npx tsx test/real-resume.ts
