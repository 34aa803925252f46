import os from 'node:os';
import type { Command } from 'commander';
import { FleetError } from '../lib/errors.js';
import { loadNorthStar } from '../lib/northstar/load.js';
import { planOps } from '../lib/northstar/plan.js';
import { clearPauseFile, readPauseFile, writePauseFile } from '../lib/pause.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';

const operator = (ctx: CliContext) => `${os.hostname()}:${ctx.env.USER || os.userInfo().username}`;

const isDown = (e: unknown) => e instanceof FleetError && e.code === 'FLEETD_DOWN';

export function registerSupervise(program: Command, ctx: CliContext): void {
  program
    .command('pause')
    .description('PAUSE: within one tick no new dispatch, no restarts, no automated sends')
    .requiredOption('--reason <text>', 'why (shown in fleet ps and the panel)')
    .option('--json')
    .action(async (f: { reason: string; json?: boolean }) => {
      const by = operator(ctx);
      // the file half works even with fleetd down; fleetd mirrors it into the store
      writePauseFile(ctx.home, { since: new Date().toISOString(), by, reason: f.reason });
      const client = await connectFleetd(ctx);
      try {
        const state = await client.flags.setPause({ paused: true, by, reason: f.reason });
        if (f.json) return printJson(ctx, state);
        ctx.out(`paused since ${state.since} by ${by}: ${f.reason}`);
      } catch (e) {
        if (!isDown(e)) throw e;
        if (f.json) return printJson(ctx, { paused: true, by, reason: f.reason, fleetd: 'down' });
        ctx.out(
          `paused (run/PAUSED written; fleetd is not running and will honour it when it starts)`,
        );
      } finally {
        client.close();
      }
    });

  program
    .command('resume')
    .description('lift PAUSE')
    .option('--json')
    .action(async (f: { json?: boolean }) => {
      const by = operator(ctx);
      const client = await connectFleetd(ctx);
      try {
        const state = await client.flags.setPause({ paused: false, by });
        clearPauseFile(ctx.home);
        if (f.json) return printJson(ctx, state);
        ctx.out('resumed');
      } catch (e) {
        if (!isDown(e)) throw e;
        const had = readPauseFile(ctx.home);
        clearPauseFile(ctx.home);
        if (f.json) return printJson(ctx, { paused: false, fleetd: 'down' });
        ctx.out(had ? 'resumed (run/PAUSED removed; fleetd is not running)' : 'not paused');
      } finally {
        client.close();
      }
    });

  program
    .command('plan')
    .description('turn NORTH_STAR.yaml goals into backlog cards (goal id = card id; idempotent)')
    .option('--file <path>', 'NORTH_STAR.yaml (default: FLEET_HOME/NORTH_STAR.yaml)')
    .option('--dry-run', 'show what would change')
    .option('--start', 'start fleetd if it is not running')
    .option('--json')
    .action(async (f: { file?: string; dryRun?: boolean; start?: boolean; json?: boolean }) => {
      const ns = loadNorthStar(f.file ?? ctx.home.northStar);
      const client = await connectFleetd(ctx, { start: f.start });
      try {
        const { cards } = await client.backlog.list({ limit: 10_000 });
        const ops = planOps(ns, new Map(cards.map((c) => [c.id, c])));
        if (!f.dryRun) {
          for (const o of ops) {
            if (o.op === 'create') await client.backlog.create(o.input);
            else if (o.op === 'update') await client.backlog.update(o.input);
            else if (o.op === 'link')
              await client.backlog.link({ id: o.id, depends_on: o.depends_on, actor: 'planner' });
            else
              await client.backlog.unlink({ id: o.id, depends_on: o.depends_on, actor: 'planner' });
          }
        }
        const count = (k: string) => ops.filter((o) => o.op === k).length;
        const summary = {
          goals: ns.goals.length,
          created: count('create'),
          updated: count('update'),
          linked: count('link'),
          unlinked: count('unlink'),
          dry_run: Boolean(f.dryRun),
        };
        if (f.json) return printJson(ctx, { ...summary, ops });
        ctx.out(
          `${f.dryRun ? 'would plan' : 'planned'} ${summary.goals} goals: ${summary.created} created, ${summary.updated} updated, ${summary.linked} linked, ${summary.unlinked} unlinked`,
        );
      } finally {
        client.close();
      }
    });

  const sup = program.command('supervisor').description("fleetd's supervisor loop");
  sup
    .command('status')
    .option('--json')
    .action(async (f: { json?: boolean }) => {
      const client = await connectFleetd(ctx);
      try {
        const s = await client.request<{
          pause: {
            paused: boolean;
            since: string | null;
            by: string | null;
            reason: string | null;
          };
          last_tick: unknown;
          tick_ms: number;
        }>('POST', '/v1/supervisor/status', {});
        if (f.json) return printJson(ctx, s);
        ctx.out(
          s.pause.paused
            ? `PAUSED since ${s.pause.since} by ${s.pause.by}: ${s.pause.reason ?? ''}`
            : 'running',
        );
        ctx.out(`tick every ${s.tick_ms} ms; last tick: ${JSON.stringify(s.last_tick)}`);
      } finally {
        client.close();
      }
    });
  sup
    .command('tick')
    .description('run one supervisor tick now and print what it did')
    .action(async () => {
      const client = await connectFleetd(ctx);
      try {
        printJson(ctx, await client.request('POST', '/v1/supervisor/tick', {}));
      } finally {
        client.close();
      }
    });
}
