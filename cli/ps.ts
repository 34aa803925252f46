import { existsSync } from 'node:fs';
import { FleetdClient } from '../lib/client/fleetd.js';
import { psScope } from '../lib/fleet/ps-scope.js';
import type { PsView } from '../lib/ops/ps-view.js';
import type { PsRow } from '../lib/fleet/ps.js';
import { oneLine } from '../lib/terminal-text.js';
import type { Register } from './commands.js';
import type { HostView } from '../lib/fleet/hosts.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';
import { age, dash, renderTable } from './table.js';

function flags(r: PsRow, extra: readonly string[] = []): string {
  const f: string[] = [...extra];
  if (!r.managed) f.push('UNMANAGED');
  if (r.drift) f.push(`DRIFT(${r.detected_runtime ?? r.pane_command ?? '?'})`);
  if (r.takeover) f.push('TAKEOVER');
  if (r.yolo) f.push('YOLO');
  if (r.failed) f.push('FAILED');
  if (r.exit_status !== null) f.push(`EXIT(${r.exit_status})`);
  if (r.enabled === false) f.push('DISABLED');
  return f.join(' ');
}

export function psTable(
  rows: readonly PsRow[],
  notes: ReadonlyMap<string, string> = new Map(),
): string {
  return renderTable(
    [
      'NAME',
      'RUNTIME',
      'MODEL',
      'SESSION',
      'PID',
      'OUTPUT',
      'HB',
      'READINESS',
      'RESTARTS',
      'CONVERSATION',
      'FLAGS',
    ],
    rows.map((r) => [
      r.name,
      dash(r.runtime),
      dash(r.model),
      r.session,
      dash(r.pane_pid),
      age(r.last_output_age_s),
      r.heartbeat_age_s === null ? 'unknown' : `${age(r.heartbeat_age_s)}/${r.heartbeat_status}`,
      r.readiness,
      String(r.restarts),
      dash(r.conversation),
      flags(r, notes.has(r.name) ? [notes.get(r.name)!] : []),
    ]),
  );
}

export const registerPs: Register = (program, ctx) => {
  program
    .command('ps')
    .description(
      'one row per roster agent and per unmanaged session: session, pid, output age, heartbeat, readiness, drift',
    )
    .option('--json', 'machine-readable rows (each with tenant_id and host)')
    .option('--all-hosts', "every host's agents from fleetd's register, grouped by host")
    .action(async (o: { json?: boolean; allHosts?: boolean }) => {
      if (o.allHosts) return allHosts(ctx, Boolean(o.json));
      const { notes: noteOf, ...ps } = (await askFleetd(ctx)) ?? (await gatherHere(ctx));
      if (o.json) return printJson(ctx, ps);
      const notes = new Map(Object.entries(noteOf));
      const pause = ps.paused.paused ? ps.paused : null;
      const northstar = ps.northstar_error;
      if (pause) {
        ctx.out(
          oneLine(
            `${pause.drain ? 'DRAINING (PAUSE while every agent finishes its turn; fleet drain shows what it waits for)' : 'PAUSED'} since ${pause.since} by ${pause.by}${pause.reason ? `: ${pause.reason}` : ''} (fleet resume)`,
          ),
        );
      }
      ctx.out(`socket ${ps.socket} · host ${ps.host} · tenant ${ps.tenant_id}`);
      ctx.out(psTable(ps.agents, notes));
      if (ps.boot?.warning) ctx.out(`boot: ${oneLine(ps.boot.warning)}`);
      const unread = unreadAgents(ps);
      if (unread.length)
        ctx.out(
          oneLine(
            `fleetd is not running: it reads the screens of ${unread.join(', ')} for their heartbeats, so their readiness is unknown (fleet serve --detach)`,
          ),
        );
      if (northstar) ctx.out(oneLine(`NORTH_STAR.yaml is not planned: ${northstar}`));
      // names and reasons on one line each (lib/terminal-text.ts): a pane's text is untrusted
      for (const r of ps.agents) if (r.failed) ctx.out(oneLine(`${r.name}: failed — ${r.failed}`));
    });
};

/** Live agents whose heartbeat fleetd writes, when no fleetd runs (docs/runtimes.md "Heartbeats"). */
export function unreadAgents(ps: {
  fleetd_pid: number | null;
  host: string;
  agents: readonly PsRow[];
}) {
  if (ps.fleetd_pid !== null) return [];
  return ps.agents
    .filter((r) => r.host === ps.host && r.session === 'alive' && r.heartbeat_by === 'fleetd')
    .map((r) => r.name);
}

/**
 * The running fleetd gathers `fleet ps` warm (lib/ops/ps-view.ts), when it serves this host and
 * tmux server; anything else — no fleetd, another scope, an error — and the CLI gathers its own,
 * so the answer and its errors are the same either way (docs/pitfalls.md "CLI start-up").
 */
async function askFleetd(ctx: CliContext): Promise<PsView | null> {
  if (!existsSync(ctx.home.socket)) return null;
  const client = new FleetdClient(ctx.home, { timeoutMs: 10_000 });
  try {
    return (await client.agents.ps(psScope(ctx.env))).ps;
  } catch {
    return null;
  } finally {
    client.close();
  }
}

/** `fleet ps` without fleetd: this process reads the roster, tmux and run/ itself. */
async function gatherHere(ctx: CliContext): Promise<PsView> {
  const [{ psView }, { fleetDeps }] = await Promise.all([
    import('../lib/ops/ps-view.js'),
    import('./fleet-deps.js'),
  ]);
  return psView(fleetDeps(ctx), async () => {
    try {
      const client = await connectFleetd(ctx);
      try {
        return (await client.agents.hosts()).hosts;
      } finally {
        client.close();
      }
    } catch {
      return null;
    }
  });
}

/** One line about a host: which it is, when it was last seen, and whether it is reachable. */
export function hostLine(h: HostView): string {
  const seen = h.age_s === null ? 'never seen' : `seen ${age(h.age_s)} ago`;
  const who = h.pid === null ? '' : ` · fleetd ${h.pid} ${h.version ?? ''}`.trimEnd();
  const state = h.reachable ? '' : ' · UNREACHABLE: last known state below';
  return oneLine(`host ${h.host}${h.here ? ' (this host)' : ''} · ${seen}${who}${state}`);
}

async function allHosts(ctx: CliContext, json: boolean): Promise<void> {
  const client = await connectFleetd(ctx);
  try {
    const r = await client.agents.hosts();
    if (json) return printJson(ctx, r);
    if (!r.hosts.length) return ctx.out('no host has written to the register yet');
    r.hosts.forEach((h, i) => {
      if (i) ctx.out('');
      ctx.out(hostLine(h));
      ctx.out(psTable(h.agents));
    });
  } finally {
    client.close();
  }
}
