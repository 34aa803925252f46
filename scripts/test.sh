#!/usr/bin/env bash
# The one test command (`npm test`): installs what the tests need, then runs every check and
# every suite — unit, integration (real tmux, PGlite, PostgreSQL), reboot survival in a booted
# Debian container, real runtimes, and the browser end-to-end tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --for-tests
npm run build
npm run typecheck
npm run lint
npm run format:check
npx vitest run
# reboot survival in a booted Debian container (test/reboot/run.ts): exit 77 means it could not
# run on this machine (no root, no systemd-nspawn, no bootable container), which is said loudly
# but is not a failure; any other non-zero exit is one
reboot_log=$(mktemp)
set +e
npm run --silent test:reboot 2>&1 | tee "$reboot_log"
reboot_rc=${PIPESTATUS[0]}
set -e
reboot_note=
if ((reboot_rc == 77)); then
  reason=$(sed -n 's/^reboot test: NOT RUN: //p' "$reboot_log" | tail -n 1)
  reboot_note=" (reboot test: not run: $reason)"
  printf '\n!!!!! reboot test: not run (%s)\n\n' "$reason"
elif ((reboot_rc != 0)); then
  rm -f "$reboot_log"
  echo "reboot test failed (exit $reboot_rc)" >&2
  exit "$reboot_rc"
fi
rm -f "$reboot_log"
if [[ -f test/real-runtimes.sh ]]; then bash test/real-runtimes.sh; fi
if [[ -f playwright.config.ts ]]; then npm run e2e; fi
echo "all tests passed$reboot_note"
