import { fleetUp, type UpResult } from '../lib/ops/lifecycle.js';
import type { Register } from './commands.js';
import type { CliContext } from './context.js';
import { staggeredCommand } from './lifecycle-command.js';

function reportUp(ctx: CliContext, r: UpResult): void {
  for (const n of r.started) ctx.out(`started   ${n}`);
  for (const n of r.restarted) ctx.out(`restarted ${n}`);
  for (const n of r.running) ctx.out(`running   ${n} (left alone)`);
  for (const s of r.skipped) ctx.out(`skipped   ${s.name} (${s.why})`);
  for (const f of r.failed) ctx.err(`failed    ${f.name}: ${f.error}`);
}

export const registerUp: Register = (program, ctx) =>
  staggeredCommand(program, ctx, {
    name: 'up',
    description: 'start every enabled roster agent that is not running (idempotent, staggered)',
    run: fleetUp,
    report: reportUp,
  });
