#!/usr/bin/env bash
# Real runtimes through the fleet (pi, Claude Code, Codex, opencode from npm): run by
# scripts/test.sh after the suites. Details and knobs in test/real-runtimes.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx tsx test/real-runtimes.ts
