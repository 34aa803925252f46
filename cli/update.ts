/**
 * `fleet update [--harnesses] [--relaunch] [--no-reseed] [--dry-run]`: the steps of
 * lib/ops/update.ts with this host's IO — fleetd's drain, framework/ reseeded into FLEET_HOME,
 * the installed systemd units re-rendered, the harness CLIs updated through npm, the agents
 * restarted on their conversations, the fleet resumed (docs/operations.md "Update"). User data
 * (roster, agents/, overrides, overlays, the store, fleetd.env) is never written.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import type { FleetdClient } from '../lib/client/fleetd.js';
import { FleetError } from '../lib/errors.js';
import { frameworkDir } from '../lib/framework.js';
import type { FleetDeps } from '../lib/fleet/deps.js';
import { DEFAULT_PATH } from '../lib/launch/env.js';
import { fleetRestart, isLocal, rosterAgents } from '../lib/ops/lifecycle.js';
import {
  runUpdate,
  UpdateStepFailed,
  type UpdateReport,
  type UpdateStep,
} from '../lib/ops/update.js';
import { execFileRunner } from '../lib/runner.js';
import { runtimes } from '../lib/runtimes/registry.js';
import { seedHome } from '../lib/seed.js';
import { backupFramework, backupUnits, updateBackupDir } from '../lib/run/update-backup.js';
import type { PauseView } from '../lib/store/registry-contract.js';
import { refreshUnits } from '../lib/systemd/systemctl.js';
import { renderUnits, unitEnvironment, unitNames, userUnitDir } from '../lib/systemd/units.js';
import {
  formatHarnessOutcome,
  harnessTargets,
  updateHarnesses,
  type HarnessOutcome,
} from '../lib/update/harnesses.js';
import { connectFleetd } from './connect.js';
import { forgetBootStatus } from '../lib/run/boot-status.js';
import { printJson, type CliContext } from './context.js';
import { drainAndWait, drainLine } from './drain.js';
import { fleetArgv, fleetDeps, numberOption } from './fleet-deps.js';
import { operator } from './pause.js';

interface UpdateFlags {
  harnesses?: boolean;
  relaunch?: boolean;
  reseed: boolean;
  dryRun?: boolean;
  timeout?: string;
  unitDir?: string;
  json?: boolean;
}

/**
 * fleetd and PAUSE as it stands before the update, or null when fleetd is not running (nothing
 * dispatches then, so nothing to drain).
 */
async function fleetdOrNull(
  ctx: CliContext,
): Promise<{ client: FleetdClient; before: PauseView } | null> {
  const client = await connectFleetd(ctx);
  try {
    return { client, before: await client.flags.pause() };
  } catch (e) {
    client.close();
    if (e instanceof FleetError && e.code === 'FLEETD_DOWN') return null;
    throw e;
  }
}

const count = (dir: string): number => {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
};

export function registerUpdate(program: Command, ctx: CliContext): void {
  program
    .command('update')
    .description(
      'drain, reseed framework/, refresh the installed systemd units, optionally update the harness CLIs and relaunch the agents on their conversations, then resume',
    )
    .option('--harnesses', "update the runtimes' CLIs the roster uses through npm")
    .option('--relaunch', 'restart every agent (each on its recorded conversation)')
    .option('--no-reseed', 'leave FLEET_HOME/framework as it is')
    .option('--dry-run', 'list the steps and what each would do; change nothing')
    .option('--timeout <s>', 'how long the drain may take', '600')
    .option('--unit-dir <dir>', 'where the units are installed (default ~/.config/systemd/user)')
    .option('--json', 'the report as JSON')
    .action(async (f: UpdateFlags) => {
      const say = (l: string) => (f.json ? undefined : ctx.out(l));
      const deps = fleetDeps(ctx);
      const up = await fleetdOrNull(ctx);
      const client = up?.client ?? null;
      const before = up?.before ?? null;
      try {
        const steps = updateSteps(ctx, deps, client, before, f, say);
        const report = await runUpdate(steps, {
          dryRun: Boolean(f.dryRun),
          say,
          resume: () => resumeAfter(ctx, client, before),
        });
        if (f.json)
          printJson(ctx, {
            tenant_id: deps.loaded.roster.tenant_id ?? 'default',
            host: deps.host,
            ...report,
          });
        if (!report.ok) failed(report);
      } finally {
        client?.close();
      }
    });
}

function failed(report: UpdateReport): never {
  const s = report.stopped!;
  throw new FleetError(
    'COMMAND_FAILED',
    `update stopped at ${s.step}: ${s.error} (the fleet is ${s.fleet === 'drained' ? 'still drained' : 'resumed'})`,
  );
}

/** Lift the update's drain, or put back the plain PAUSE that was there before it. */
async function resumeAfter(
  ctx: CliContext,
  client: FleetdClient | null,
  before: PauseView | null,
): Promise<string> {
  if (!client) return 'fleetd is not running: nothing to resume';
  if (before?.paused && !before.drain) {
    await client.flags.setPause({
      paused: true,
      drain: false,
      by: before.by ?? operator(ctx),
      reason: before.reason ?? undefined,
    });
    return `left PAUSED as it was before the update (by ${before.by ?? '?'}${before.reason ? `: ${before.reason}` : ''})`;
  }
  await client.flags.setPause({ paused: false, by: operator(ctx) });
  return 'resumed: dispatch goes on';
}

function updateSteps(
  ctx: CliContext,
  deps: FleetDeps,
  client: FleetdClient | null,
  before: PauseView | null,
  f: UpdateFlags,
  say: (l: string) => void,
): UpdateStep[] {
  const timeoutS = numberOption('timeout', f.timeout, 600);
  const backup = updateBackupDir(ctx.home);
  const steps: UpdateStep[] = [
    {
      name: 'drain',
      plan: async () => [
        client
          ? `PAUSE as a drain, wait up to ${timeoutS} s for every agent to finish its turn`
          : 'fleetd is not running: nothing dispatches, nothing to drain',
      ],
      run: async () => {
        if (!client) return ['fleetd is not running: nothing dispatches, nothing to drain'];
        const r = await drainAndWait(client, {
          by: operator(ctx),
          reason: 'fleet update',
          timeoutS,
          say: (l) => say(`  ${l}`),
        });
        if (!r.quiet)
          throw new UpdateStepFailed(
            `not quiet after ${timeoutS} s: still ${r.status.working.map(drainLine).join('; ')}`,
            {
              recovery:
                'Let them finish (fleet drain shows what it waits for), then run fleet update again; or fleet resume to give up the update',
            },
          );
        const n = r.status.checkpointed.length;
        return [`quiet after ${r.elapsed_s.toFixed(1)} s${n ? `; ${n} card(s) put back` : ''}`];
      },
    },
  ];
  if (f.reseed) {
    const src = frameworkDir();
    const dest = ctx.home.frameworkDir;
    steps.push({
      name: 'reseed',
      plan: async () => [`copy ${src} to ${dest} (the previous copy kept in ${backup}/framework)`],
      run: async () => {
        backupFramework(ctx.home);
        try {
          seedHome(ctx.home, src);
        } catch (e) {
          throw new UpdateStepFailed((e as Error).message, {
            recovery: `Roll back: copy ${backup}/framework back to ${dest}; or fix that and run fleet update again`,
          });
        }
        return [`${dest} reseeded from ${src} (${count(dest)} files; your files untouched)`];
      },
    });
  }
  steps.push(unitsStep(ctx, deps, f, backup));
  if (f.harnesses) steps.push(harnessStep(ctx, deps, say));
  if (f.relaunch) {
    const names = () =>
      rosterAgents(deps)
        .filter((a) => isLocal(deps, a) && a.enabled)
        .map((a) => a.name);
    steps.push({
      name: 'relaunch',
      plan: async () => [`restart ${names().join(', ') || 'no agent'}, each on its conversation`],
      run: async () => {
        const r = await fleetRestart(deps, { staggerMs: 250, reason: 'update' });
        const lines = r.restarted.map(
          (x) =>
            `${x.name} (epoch ${x.epoch}${x.conversation ? `, ${x.conversation} conversation` : ''})`,
        );
        if (r.failed.length)
          throw new UpdateStepFailed(
            r.failed.map((x) => `${x.name}: ${x.error.split('\n')[0]}`).join('; '),
            {
              lines,
              recovery: `Fix that, then fleet restart ${r.failed.map((x) => x.name).join(' ')} and fleet resume`,
            },
          );
        return lines.length ? lines : ['no agent to relaunch'];
      },
    });
  }
  steps.push({
    name: 'resume',
    plan: async () => [
      !client
        ? 'fleetd is not running: nothing to resume'
        : before?.paused && !before.drain
          ? 'put back the PAUSE that was there before'
          : 'lift the drain',
    ],
    run: async () => [await resumeAfter(ctx, client, before)],
  });
  return steps;
}

function unitsStep(ctx: CliContext, deps: FleetDeps, f: UpdateFlags, backup: string): UpdateStep {
  const unitDir = f.unitDir ?? userUnitDir(ctx.env, os.homedir());
  const socket = deps.loaded.roster.tmux.socket_name;
  const names = unitNames(socket);
  const refresh = (dryRun: boolean) => {
    const argv = fleetArgv(ctx.env);
    return refreshUnits({
      runner: deps.systemd!,
      unitDir,
      names,
      dryRun,
      render: (installed) => {
        if (!argv)
          throw new FleetError(
            'NOT_FOUND',
            'cannot tell where the fleet CLI lives (set FLEET_CLI_PATH)',
          );
        if (!dryRun) backupUnits(ctx.home, installed);
        // the PATH and TMUX_TMPDIR the operator installed with stay; the rest is the template's
        const env = unitEnvironment(installed.get(names.fleetd) ?? installed.get(names.tmux) ?? '');
        return renderUnits({
          socket,
          home: ctx.home.root,
          fleetArgv: argv,
          pathValue: env.PATH || ctx.env.PATH || DEFAULT_PATH,
          tmuxTmpdir: env.TMUX_TMPDIR,
        });
      },
    });
  };
  const lines = (r: Awaited<ReturnType<typeof refreshUnits>>, dry: boolean) => {
    if (!r.installed) return [`not installed in ${unitDir} (fleet install-systemd installs them)`];
    return [
      ...r.changed.map((x) => `${dry ? 'would rewrite' : 'rewrote'} ${x}`),
      ...r.unchanged.map((x) => `${x} is up to date`),
      ...r.commands.map((c) => `${dry ? 'would run' : 'ran'} ${c.join(' ')}`),
    ];
  };
  return {
    name: 'units',
    plan: async () => lines(await refresh(true), true),
    run: async () => {
      forgetBootStatus(ctx.home);
      try {
        return lines(await refresh(false), false);
      } catch (e) {
        throw new UpdateStepFailed((e as Error).message, {
          recovery: `The previous units are in ${backup}/units. Run systemctl --user daemon-reload once it works, then fleet update --no-reseed to go on; or fleet resume`,
        });
      }
    },
  };
}

function harnessStep(ctx: CliContext, deps: FleetDeps, say: (l: string) => void): UpdateStep {
  const targets = () =>
    // a disabled agent's runtime too: enabling it later should not start an old CLI
    harnessTargets(
      rosterAgents(deps).filter((a) => isLocal(deps, a)),
      (id) => runtimes.find(id),
      { base: ctx.env, nodePath: process.execPath },
    );
  const update = (dryRun: boolean) =>
    updateHarnesses(targets(), {
      run: execFileRunner,
      dryRun,
      env: ctx.env,
      onOutcome: (o) => (dryRun ? undefined : say(`  ${formatHarnessOutcome(o)}`)),
    });
  const changedNothing = (out: readonly HarnessOutcome[]) =>
    out.every((o) => o.kind !== 'failed' || o.installed === o.before);
  return {
    name: 'harnesses',
    plan: async () => {
      const out = await update(true);
      return out.length ? out.map(formatHarnessOutcome) : ['no agent runs an npm harness'];
    },
    run: async () => {
      const out = await update(false);
      const bad = out.filter((o) => o.kind === 'failed');
      if (bad.length)
        throw new UpdateStepFailed(bad.map(formatHarnessOutcome).join('; '), {
          changedNothing: changedNothing(out),
          recovery: 'Run fleet update --harnesses again once npm can reach its registry',
        });
      const counts = new Map<string, number>();
      for (const o of out) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
      return out.length
        ? [[...counts].map(([k, n]) => `${n} ${k.replace('_', ' ')}`).join(', ')]
        : ['no agent runs an npm harness'];
    },
  };
}
