/** `fleet supervisor status|tick`: what fleetd's supervisor did last; one tick now. */
import type { Command } from 'commander';
import type { PauseView } from '../lib/store/registry-contract.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';

export function registerSupervisor(program: Command, ctx: CliContext): void {
  const sup = program.command('supervisor').description("fleetd's supervisor loop");
  sup
    .command('status')
    .option('--json')
    .action(async (f: { json?: boolean }) => {
      const client = await connectFleetd(ctx);
      try {
        const s = await client.request<{
          running: boolean;
          pause: PauseView;
          last_tick: unknown;
          tick_ms: number | null;
        }>('POST', '/v1/supervisor/status', {});
        if (f.json) return printJson(ctx, s);
        ctx.out(
          s.pause.paused
            ? `PAUSED since ${s.pause.since} by ${s.pause.by}: ${s.pause.reason ?? ''}`
            : 'running',
        );
        if (s.pause.halted) ctx.out(s.pause.halted);
        if (!s.running) ctx.out('the supervisor is not running in this fleetd (--no-supervise)');
        else ctx.out(`tick every ${s.tick_ms} ms; last tick: ${JSON.stringify(s.last_tick)}`);
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
