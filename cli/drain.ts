/**
 * `fleet drain [--timeout S]`: PAUSE pulled as a drain through fleetd's one drain operation
 * (lib/ops/drain.ts), then wait until the supervisor sees the fleet quiet — no agent working,
 * asking a human, being typed to or holding a card — printing what it waits for as that
 * changes. A timeout names what is still working and leaves the fleet drained; `fleet resume`
 * ends a drain (docs/operations.md "Drain").
 */
import type { Command } from 'commander';
import { FleetError } from '../lib/errors.js';
import type { DrainStatus } from '../lib/ops/drain.js';
import { writePauseFile } from '../lib/run/pause.js';
import type { DrainAgentState } from '../lib/supervisor/drain.js';
import { oneLine } from '../lib/terminal-text.js';
import type { FleetdClient } from '../lib/client/fleetd.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';
import { numberOption } from './fleet-deps.js';
import { operator } from './pause.js';

const WHAT: Record<DrainAgentState['state'], string> = {
  working: 'working',
  waiting: 'waiting for a human',
  delivering: 'being typed a message',
  holding: 'holding',
};

export function drainLine(w: DrainAgentState): string {
  const card = w.card ? ` (card ${w.card})` : '';
  return oneLine(`${w.agent}: ${WHAT[w.state]}${card} since ${w.since}`);
}

export interface DrainOutcome {
  quiet: boolean;
  status: DrainStatus;
  elapsed_s: number;
}

/**
 * Drain through `client` and wait for quiet or `timeoutS`, calling `say` with each line worth
 * printing. Shared by `fleet drain` and `fleet update`.
 */
export async function drainAndWait(
  client: FleetdClient,
  o: { by: string; reason?: string; timeoutS: number; say(line: string): void; pollMs?: number },
): Promise<DrainOutcome> {
  const started = Date.now();
  let status = await client.flags.drain({ by: o.by, reason: o.reason });
  o.say(`draining since ${status.since}: no new dispatch; every agent finishes its turn`);
  let last = '';
  const seenPutBack = new Set<string>();
  for (;;) {
    for (const c of status.checkpointed) {
      if (seenPutBack.has(c.card)) continue;
      seenPutBack.add(c.card);
      o.say(oneLine(`put back ${c.card}: ${c.agent} ended its turn without finishing it`));
    }
    const lines = status.working.map(drainLine);
    if (status.quiet) break;
    if (lines.join('\n') !== last && status.checked_at) {
      o.say(`waiting for ${status.working.length}:`);
      for (const l of lines) o.say(`  ${l}`);
      last = lines.join('\n');
    }
    if ((Date.now() - started) / 1000 >= o.timeoutS) break;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
    status = await client.flags.drainStatus();
    if (!status.draining)
      throw new FleetError('CONFLICT', 'the drain was ended (fleet resume) meanwhile');
  }
  return { quiet: status.quiet, status, elapsed_s: (Date.now() - started) / 1000 };
}

export function registerDrain(program: Command, ctx: CliContext): void {
  program
    .command('drain')
    .description(
      'PAUSE, then wait until every agent has finished its turn and no card is held (fleet resume ends it)',
    )
    .option(
      '--timeout <s>',
      'give up waiting after this many seconds (the fleet stays drained)',
      '600',
    )
    .option('--reason <text>', 'why (shown in fleet ps and the panel)')
    .option('--json', 'the final status as JSON')
    .action(async (f: { timeout?: string; reason?: string; json?: boolean }) => {
      const timeoutS = numberOption('timeout', f.timeout, 600);
      const by = operator(ctx);
      const client = await connectFleetd(ctx);
      let r: DrainOutcome;
      try {
        r = await drainAndWait(client, {
          by,
          reason: f.reason,
          timeoutS,
          say: (l) => (f.json ? undefined : ctx.out(l)),
        });
      } catch (e) {
        if (!(e instanceof FleetError && e.code === 'FLEETD_DOWN')) throw e;
        // nothing dispatches without fleetd; the drain is kept for when it starts
        writePauseFile(ctx.home, {
          since: new Date().toISOString(),
          by,
          reason: f.reason ?? 'drain',
          drain: true,
        });
        if (f.json) return printJson(ctx, { draining: true, quiet: null, fleetd: 'down' });
        return ctx.out(
          'drained (run/PAUSED written): fleetd is not running, so nothing dispatches and nothing watches the agents',
        );
      } finally {
        client.close();
      }
      if (f.json) printJson(ctx, { ...r.status, elapsed_s: r.elapsed_s });
      if (r.quiet) {
        const n = r.status.checkpointed.length;
        if (!f.json)
          ctx.out(
            `quiet after ${r.elapsed_s.toFixed(1)} s: no agent works or holds a card` +
              (n ? `; ${n} card${n > 1 ? 's' : ''} put back` : '') +
              '. The fleet stays drained: fleet resume to go on',
          );
        return;
      }
      const still =
        r.status.working.map(drainLine).join('; ') || 'the supervisor has not looked yet';
      throw new FleetError(
        'TIMEOUT',
        `drain not quiet after ${timeoutS} s: still ${still}. The fleet stays drained (fleet resume to go on)`,
      );
    });
}
