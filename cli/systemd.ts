import os from 'node:os';
import { FleetError } from '../lib/errors.js';
import { DEFAULT_PATH } from '../lib/launch/env.js';
import { installSystemd, uninstallSystemd } from '../lib/systemd/systemctl.js';
import { renderUnits, unitNames, userUnitDir } from '../lib/systemd/units.js';
import type { Register } from './commands.js';
import { forgetBootStatus } from '../lib/run/boot-status.js';
import { fleetArgv, fleetDeps } from './fleet-deps.js';

export const registerSystemd: Register = (program, ctx) => {
  program
    .command('install-systemd')
    .description(
      'install and enable the user units that keep the tmux server and fleetd running, and enable linger',
    )
    .option('--unit-dir <dir>', 'where to write the units (default ~/.config/systemd/user)')
    .option('--no-start', 'enable for the next login/boot without starting now')
    .option('--dry-run', 'print the units and the commands; change nothing')
    .action(async (o: { unitDir?: string; start: boolean; dryRun?: boolean }) => {
      const deps = fleetDeps(ctx);
      const argv = fleetArgv(ctx.env);
      if (!argv)
        throw new FleetError(
          'NOT_FOUND',
          'cannot tell where the fleet CLI lives (set FLEET_CLI_PATH)',
        );
      const units = renderUnits({
        socket: deps.loaded.roster.tmux.socket_name,
        home: deps.home.root,
        fleetArgv: argv,
        pathValue: ctx.env.PATH || DEFAULT_PATH,
        tmuxTmpdir: ctx.env.TMUX_TMPDIR,
      });
      const unitDir = o.unitDir ?? userUnitDir(ctx.env, os.homedir());
      const user = ctx.env.USER || os.userInfo().username;
      if (o.dryRun) {
        for (const u of units) ctx.out(`--- ${unitDir}/${u.name}\n${u.text}`);
        return;
      }
      forgetBootStatus(ctx.home);
      const r = await installSystemd({
        runner: deps.systemd!,
        unitDir,
        units,
        user,
        start: o.start,
      });
      for (const f of r.written) ctx.out(`wrote ${f}`);
      for (const c of r.commands) ctx.out(`ran   ${c.join(' ')}`);
    });

  program
    .command('uninstall-systemd')
    .description('disable, stop and remove the units installed by install-systemd')
    .option('--unit-dir <dir>', 'where the units are (default ~/.config/systemd/user)')
    .option('--disable-linger', 'also turn linger off for this user')
    .action(async (o: { unitDir?: string; disableLinger?: boolean }) => {
      const deps = fleetDeps(ctx);
      const names = unitNames(deps.loaded.roster.tmux.socket_name);
      forgetBootStatus(ctx.home);
      const r = await uninstallSystemd({
        runner: deps.systemd!,
        unitDir: o.unitDir ?? userUnitDir(ctx.env, os.homedir()),
        names: [names.fleetd, names.tmux],
        user: ctx.env.USER || os.userInfo().username,
        disableLinger: Boolean(o.disableLinger),
      });
      for (const f of r.written) ctx.out(`removed ${f}`);
      for (const c of r.commands) ctx.out(`ran     ${c.join(' ')}`);
    });
};
