// CLI start-up (docs/pitfalls.md "CLI start-up"): agents and their hooks call `fleet` on every
// card and every turn, so each call's cost is paid per agent. Each command loads only its own
// modules (cli/commands.ts). Figures beside `node -e 0` (and one `tmux list-panes -a`) measured
// in the same run; nothing passes or fails on a number.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, percentile, ratio } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FLEET = path.join(ROOT, 'dist', 'fleet.mjs');
const RUNS = 15;

function timed(argv: string[], env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  try {
    execFileSync(argv[0]!, argv.slice(1), { env, stdio: 'ignore' });
  } catch {
    // a command's exit code is not what is measured
  }
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (argv: string[], env: NodeJS.ProcessEnv): number =>
  percentile(
    Array.from({ length: RUNS }, () => timed(argv, env)),
    50,
  );

export default async function bench(): Promise<void> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-cli-'));
  const socket = `mf-bench-cli-${process.pid}`;
  writeFileSync(
    path.join(home, 'roster.yaml'),
    `version: 2\ntmux: { socket_name: ${socket} }\nagents:\n  - { name: orch, class: orchestrator, runtime: stub }\n  - { name: enh, class: enhancer, runtime: stub }\n`,
  );
  const env = { ...process.env, FLEET_HOME: home, MOSAIC_AGENT_NAME: 'orch' };
  try {
    execFileSync('tmux', ['-L', socket, 'new-session', '-d', '-s', '_holder', 'sleep 600']);
    const node = median([process.execPath, '-e', '0'], env);
    const panes = median(['tmux', '-L', socket, 'list-panes', '-a'], env);
    const version = median([process.execPath, FLEET, '--version'], env);
    const ps = median([process.execPath, FLEET, 'ps', '--json'], env);
    const hook = median([process.execPath, FLEET, 'hook', 'codex', '{"type":"x"}'], env);
    const help = median([process.execPath, FLEET, '--help'], env);
    console.log(`node -e 0                      ${ms(node)} (median of ${RUNS})`);
    console.log(`tmux list-panes -a             ${ms(panes)}`);
    console.log(
      `fleet --version                ${ms(version)}   ${ratio(version, node)} node -e 0`,
    );
    console.log(
      `fleet ps --json                ${ms(ps)}   ${ratio(ps, node + panes)} (node -e 0 + one list-panes)`,
    );
    console.log(`fleet hook codex <payload>     ${ms(hook)}   ${ratio(hook, node)} node -e 0`);
    console.log(`fleet --help (loads every command) ${ms(help)}   ${ratio(help, node)} node -e 0`);
  } finally {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(home, { recursive: true, force: true });
  }
}
