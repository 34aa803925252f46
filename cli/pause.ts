/**
 * `fleet pause` / `fleet resume`: through fleetd's one PAUSE operation (lib/ops/pause.ts), which
 * sets the store flag, run/PAUSED and, on resume, lifts the supervisor's recovery halt. With
 * fleetd down only the file half exists: it is written or removed here, and fleetd honours it
 * when it starts.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { FleetError } from '../lib/errors.js';
import { clearPauseFile, readPauseFile, writePauseFile } from '../lib/run/pause.js';
import type { PauseView } from '../lib/store/registry-contract.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';

export const operator = (ctx: CliContext) =>
  `${os.hostname()}:${ctx.env.USER || os.userInfo().username}`;

const isDown = (e: unknown) => e instanceof FleetError && e.code === 'FLEETD_DOWN';

/** Ask fleetd, or return null when it is not running. */
async function throughFleetd(
  ctx: CliContext,
  call: (c: Awaited<ReturnType<typeof connectFleetd>>) => Promise<PauseView>,
): Promise<PauseView | null> {
  const client = await connectFleetd(ctx);
  try {
    return await call(client);
  } catch (e) {
    if (isDown(e)) return null;
    throw e;
  } finally {
    client.close();
  }
}

export function registerPause(program: Command, ctx: CliContext): void {
  program
    .command('pause')
    .description('PAUSE: within one tick no new dispatch, no restarts, no automated sends')
    .requiredOption('--reason <text>', 'why (shown in fleet ps and the panel)')
    .option('--json')
    .action(async (f: { reason: string; json?: boolean }) => {
      const by = operator(ctx);
      const state = await throughFleetd(ctx, (c) =>
        c.flags.setPause({ paused: true, by, reason: f.reason }),
      );
      if (!state) {
        writePauseFile(ctx.home, { since: new Date().toISOString(), by, reason: f.reason });
        if (f.json) return printJson(ctx, { paused: true, by, reason: f.reason, fleetd: 'down' });
        return ctx.out(
          'paused (run/PAUSED written; fleetd is not running and will honour it when it starts)',
        );
      }
      if (f.json) return printJson(ctx, state);
      ctx.out(`paused since ${state.since} by ${by}: ${f.reason}`);
    });

  program
    .command('resume')
    .description('lift PAUSE, and a recovery halt')
    .option('--json')
    .action(async (f: { json?: boolean }) => {
      const by = operator(ctx);
      const state = await throughFleetd(ctx, (c) => c.flags.setPause({ paused: false, by }));
      if (!state) {
        const had = readPauseFile(ctx.home);
        clearPauseFile(ctx.home);
        if (f.json) return printJson(ctx, { paused: false, fleetd: 'down' });
        return ctx.out(had ? 'resumed (run/PAUSED removed; fleetd is not running)' : 'not paused');
      }
      if (f.json) return printJson(ctx, state);
      ctx.out('resumed');
    });
}
