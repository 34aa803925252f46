#!/usr/bin/env bash
# Installs what Mosaic Fleet needs on a fresh Debian machine: system packages (as root, via
# apt-get) and npm packages from the lockfile. Idempotent: skips what is already there.
# Usage: scripts/setup.sh [--for-tests]   (tests also need chromium, postgresql, debootstrap
# and systemd-container)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tmux >/dev/null || need+=(tmux)
if [[ "${1:-}" == "--for-tests" ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
  command -v systemd-analyze >/dev/null || need+=(systemd)
  # the reboot test (test/reboot/run.ts) debootstraps a Debian root and boots it with nspawn
  [[ -x /usr/sbin/debootstrap ]] || need+=(debootstrap)
  [[ -x /usr/bin/systemd-nspawn ]] || need+=(systemd-container)
fi
if ((${#need[@]})); then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to apt-get install ${need[*]}" >&2; exit 1; }
    SUDO=(sudo)
  fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm packages from the lockfile; `npm ci` can refuse a lockfile generated on another
# platform (docs/pitfalls.md), so fall back to `npm install`, which honours the same lockfile.
# npm ci's refusal is kept in a log rather than printed: a healthy install prints no error.
stamp=node_modules/.mosaic-installed
if [[ ! -f $stamp || package-lock.json -nt $stamp ]]; then
  echo "setup: installing npm packages"
  log=$(mktemp)
  if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
    npm install --no-audit --no-fund || { cat "$log" >&2; rm -f "$log"; exit 1; }
  fi
  rm -f "$log"
  touch "$stamp"
fi
