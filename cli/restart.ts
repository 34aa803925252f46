import { fleetRestart } from '../lib/ops/lifecycle.js';
import type { Register } from './commands.js';
import { staggeredCommand } from './lifecycle-command.js';

export const registerRestart: Register = (program, ctx) =>
  staggeredCommand(program, ctx, {
    name: 'restart',
    description: 'restart one agent (or every enabled one) under a new spawn epoch',
    run: fleetRestart,
    report: (c, r) => {
      for (const x of r.restarted) c.out(`restarted ${x.name} (epoch ${x.epoch})`);
      for (const f of r.failed) c.err(`failed    ${f.name}: ${f.error}`);
    },
  });
