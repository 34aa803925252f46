import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Container } from './container.js';
import type { ContainerFleet } from './fleet.js';
import type { Ran } from './proc.js';

/** What a failed run prints, to read the failure without re-running it. */

function section(title: string, body: string): void {
  console.log(`\n----- ${title}\n${body.trimEnd() || '(empty)'}`);
}

const shown = (r: Ran) =>
  `${r.stdout}${r.stderr ? `\n[stderr] ${r.stderr}` : ''}${r.code === 0 ? '' : `\n[exit ${r.code}${r.timedOut ? ', timed out' : ''}]`}`;

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

export async function printDiagnostics(
  c: Container | null,
  f: ContainerFleet | null,
  units: readonly string[],
  nspawnLog: string | null,
): Promise<void> {
  console.log('\n===== reboot test diagnostics');
  if (c?.running()) {
    section(
      'systemctl --failed',
      shown(await c.exec(['systemctl', '--failed', '--no-pager'], { timeoutMs: 15_000 })),
    );
    section(
      'loginctl list-users',
      shown(await c.exec(['loginctl', 'list-users', '--no-legend'], { timeoutMs: 15_000 })),
    );
  }
  if (c?.running() && f) {
    const u = units.flatMap((n) => ['-u', n]);
    section(
      `journalctl --user ${u.join(' ')} (every boot)`,
      shown(await f.asUser(['journalctl', '--user', ...u, '--no-pager', '-n', '200'])),
    );
    section(
      'systemctl --user status',
      shown(await f.asUser(['systemctl', '--user', 'status', '--no-pager', ...units])),
    );
    section('fleet ps', shown(await f.cli(['ps'])));
    section('fleet backlog list', shown(await f.cli(['backlog', 'list'])));
    section('fleet backlog events', shown(await f.cli(['backlog', 'events', '--limit', '300'])));
  } else if (f) {
    // the container is down: what fleetd left in FLEET_HOME/run/ is still on disk
    const run = f.onHost(path.join(f.home, 'run'));
    const logs = existsSync(run) ? readdirSync(run).filter((n) => n.endsWith('.log')) : [];
    for (const n of logs) section(`${f.home}/run/${n}`, tail(path.join(run, n), 80));
  }
  if (nspawnLog) section(`systemd-nspawn output (${nspawnLog})`, tail(nspawnLog, 60));
  console.log('===== end of diagnostics\n');
}
