import { FleetError } from '../lib/errors.js';
import { fleetRestart } from '../lib/ops/lifecycle.js';
import type { Register } from './commands.js';
import { staggeredCommand } from './lifecycle-command.js';
import { localName, relayLifecycle } from './relay.js';

export const registerRestart: Register = (program, ctx) =>
  staggeredCommand(program, ctx, {
    name: 'restart',
    description:
      'restart one agent (or every enabled one) under a new spawn epoch, on its conversation where its runtime can resume one; <host>:<agent> for another host',
    fresh: 'start new conversations instead of resuming the recorded ones',
    run: async (deps, opts) => {
      const here = opts.only.map((a) => localName(deps, a));
      const local = here.filter((n): n is string => n !== null);
      const r =
        local.length || !opts.only.length
          ? await fleetRestart(deps, { ...opts, only: local })
          : { restarted: [], failed: [] };
      // another host's agents: restarted by their own fleetd through the relay
      for (const address of opts.only.filter((_, i) => here[i] === null)) {
        try {
          const o = await relayLifecycle(deps, ctx, 'restart', address);
          r.restarted.push({ name: `${o.host}:${o.agent}`, epoch: Number(o.result?.epoch ?? 0) });
        } catch (e) {
          // a bad address fails the command as a local unknown name does; the owning host's
          // failure to restart is reported beside the others
          if (!(e instanceof FleetError && e.code === 'COMMAND_FAILED')) throw e;
          r.failed.push({ name: address, error: e.message });
        }
      }
      return r;
    },
    report: (c, r) => {
      for (const x of r.restarted)
        c.out(
          `restarted ${x.name} (epoch ${x.epoch}${x.conversation ? `, ${x.conversation} conversation` : ''})`,
        );
      for (const f of r.failed) c.err(`failed    ${f.name}: ${f.error}`);
    },
  });
