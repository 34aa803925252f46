#!/usr/bin/env bash
# The main job (`npm start`): install what is missing, build, and run fleetd with the web panel
# and a demo fleet of stub agents (no LLM) on the embedded store. The supervisor starts the
# agents and works the sample North Star's cards; the panel's URL and login are printed.
#
# The demo lives in its own FLEET_HOME (default ~/.config/mosaic/fleet-demo, socket
# mosaic-fleet-demo) so it never touches a real fleet; with FLEET_HOME set, an existing roster
# there is kept: the demo roster and sample NORTH_STAR.yaml are written only when there is none. Ctrl-C stops fleetd (the agents
# keep running in tmux; `node dist/fleet.cjs down` stops them).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/setup.sh
newer() { [[ ! -e $1 ]] || [[ -n $(find "${@:2}" -newer "$1" -type f -print -quit 2>/dev/null) ]]; }
if newer dist/fleet.cjs cli lib server scripts/build.mjs package-lock.json; then npm run build; fi
if newer .next/BUILD_ID app components lib next.config.ts package-lock.json; then npm run build:web; fi

fleet() { node "$root/dist/fleet.cjs" "$@"; }
home=${FLEET_HOME:-${XDG_CONFIG_HOME:-$HOME/.config}/mosaic/fleet-demo}
export FLEET_HOME=$home
mkdir -p "$home"
if [[ ! -f $home/roster.yaml ]]; then
  fleet init --profile demo --socket mosaic-fleet-demo --write >/dev/null
fi
[[ -f $home/NORTH_STAR.yaml ]] || cp framework/northstar/NORTH_STAR.sample.yaml "$home/NORTH_STAR.yaml"

port=${FLEET_WEB_PORT:-7420}
# node itself in the background (not the shell function), so $! is fleetd and Ctrl-C reaches it
node "$root/dist/fleet.cjs" serve --web-port "$port" &
serve=$!
trap 'kill -TERM $serve 2>/dev/null; wait $serve' INT TERM

for _ in $(seq 1 300); do
  fleet backlog stats >/dev/null 2>&1 && break
  kill -0 $serve 2>/dev/null || { echo "start: fleetd exited" >&2; exit 1; }
  sleep 0.2
done

login=$home/demo-login.txt
email=admin@fleet.local
if [[ ! -f $login ]]; then
  password=$(node -e "process.stdout.write(require('node:crypto').randomBytes(12).toString('base64url'))")
  if ! err=$(printf '%s' "$password" | fleet user create --email "$email" --password-stdin 2>&1 >/dev/null); then
    echo "start: could not create the demo account: $err" >&2
    echo "start: use the one-time setup link fleetd printed above, or: fleet user create --email <you>" >&2
    password='(not created; see above)'
  fi
  (umask 077 && printf 'email: %s\npassword: %s\n' "$email" "$password" >"$login")
fi
# no `fleet plan` here: fleetd plans NORTH_STAR.yaml by itself, and again whenever it changes

cat <<MSG

  Mosaic Fleet is running.
    web panel:  http://127.0.0.1:$port
    log in:     $(sed -n 's/^email: //p' "$login") / $(sed -n 's/^password: //p' "$login")   (kept in $login)
    fleet:      FLEET_HOME=$home node dist/fleet.cjs ps
    backlog:    FLEET_HOME=$home node dist/fleet.cjs backlog list
  The supervisor starts the demo agents and works the sample North Star's cards.
  Ctrl-C stops fleetd.

MSG
wait $serve
