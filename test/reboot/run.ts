/**
 * Reboot survival in a real systemd (`npm run test:reboot`; docs/architecture.md "Durability").
 *
 * A Debian root (debootstrap, cached under /var/cache/mosaic-fleet and copied per run) boots
 * with `systemd-nspawn --boot`. The built project is copied into it (dist/, framework/,
 * drizzle/ as a snapshot in /opt/mosaic-fleet, so a rebuild on the host mid-run cannot change
 * it); the host's node binary and node_modules are bind-mounted read-only. Inside, as a user
 * with linger and without any login session: `fleet init` (stub agents), `fleet
 * install-systemd`, a DAG of cards worked for several seconds each; `systemctl reboot` mid-work;
 * boot again. Then, with nobody logged in, the tmux server, fleetd and every agent must be back
 * (new spawn epochs), the claims held at the reboot reclaimed, and the DAG done with exactly one
 * completion per card.
 *
 * Exit 0 passed, 1 failed (with diagnostics), 77 not run (no root, no nspawn/debootstrap, or
 * the container cannot boot at all: the reason and the failing command are printed).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Container } from './container.js';
import { printDiagnostics } from './diagnostics.js';
import { ContainerFleet } from './fleet.js';
import { NotRun, RebootFailure, describe, ok, progress, run, seconds } from './proc.js';
import { APP_DIR, cachedRoot, runRoot } from './root.js';
import {
  createDag,
  dagEvents,
  installFleet,
  provisionUser,
  sessions,
  waitDagDone,
  waitFleetUp,
  waitMidWork,
} from './scenario.js';
import { DAG, judgeDag, type Held } from './verdict.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const KEEP = process.env.MOSAIC_REBOOT_KEEP === '1';

interface State {
  runDir: string | null;
  machine: string;
  container: Container | null;
  fleet: ContainerFleet | null;
  units: string[];
  nspawnLog: string | null;
}

const state: State = {
  runDir: null,
  machine: `mf-reboot-${randomBytes(4).toString('hex')}`,
  container: null,
  fleet: null,
  units: [],
  nspawnLog: null,
};

async function preflight(): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new NotRun(
      `systemd-nspawn and debootstrap need root (running as uid ${process.getuid?.()})`,
    );
  for (const argv of [
    ['systemd-nspawn', '--version'],
    ['debootstrap', '--version'],
    ['nsenter', '--version'],
  ]) {
    const r = await run(argv, { timeoutMs: 15_000 });
    if (!ok(r))
      throw new NotRun(
        `${describe(r)}; install: apt-get install debootstrap systemd-container (or scripts/setup.sh --for-tests)`,
      );
  }
  // the CLI the container runs is the built one: build it when missing or broken
  const version = () =>
    run(['node', path.join(REPO, 'dist', 'fleet.cjs'), '--version'], { timeoutMs: 30_000 });
  if (!ok(await version())) {
    progress('build: dist/fleet.cjs missing or broken; node scripts/build.mjs');
    const b = await run(['node', 'scripts/build.mjs'], { timeoutMs: 300_000, cwd: REPO });
    if (!ok(b) || !ok(await version()))
      throw new RebootFailure(`could not build the CLI: ${describe(b)}`);
  }
}

async function firstBoot(c: Container): Promise<number> {
  const t = Date.now();
  try {
    const s = await c.boot();
    progress(`first boot: ${s} in ${seconds(t)}`);
  } catch (e) {
    const log = existsSync(state.nspawnLog!) ? readFileSync(state.nspawnLog!, 'utf8') : '';
    const last = log.trim().split('\n').slice(-5).join(' | ');
    throw new NotRun(
      `the container does not boot: ${(e as Error).message}; command: ${c.command.join(' ')}${last ? `; its output: ${last}` : ''}`,
    );
  }
  return (Date.now() - t) / 1000;
}

/** Preflight, the root, the first boot (NOT RUN up to here), then the fleet installed and up. */
async function setUp(timings: string[]) {
  await preflight();
  const cache = await cachedRoot();
  const db = cache.debootstrapS;
  timings.push(`debootstrap ${db === null ? 'cached' : `${db.toFixed(1)} s`}`);
  state.runDir = mkdtempSync(path.join(os.tmpdir(), 'mosaic-reboot-'));
  const root = await runRoot(cache.dir, state.runDir, REPO);
  state.nspawnLog = path.join(state.runDir, 'nspawn.log');
  const c = new Container({
    root,
    machine: state.machine,
    logFile: state.nspawnLog,
    readOnlyBinds: [
      { host: process.execPath, inside: '/usr/local/bin/node' },
      { host: path.join(REPO, 'node_modules'), inside: `${APP_DIR}/node_modules` },
    ],
  });
  state.container = c;
  timings.push(`first boot ${(await firstBoot(c)).toFixed(1)} s`);

  // from here on a problem is a failure of the fleet, not of the machine
  const user = await provisionUser(c);
  const f = new ContainerFleet(c, user, root);
  state.fleet = f;
  state.units = await installFleet(f);
  const t = Date.now();
  const epochs = await waitFleetUp(f, state.units, null, 180_000);
  progress(`fleet up in ${seconds(t)}: ${epochLine(epochs)}`);
  return { c, f, epochs };
}

const epochLine = (m: ReadonlyMap<string, number | null>) =>
  [...m].map(([n, e]) => `${n}#${e}`).join(' ');

/** Reboot while a card is mid-work; resolves when the fleet is back with nobody logged in. */
async function rebootMidWork(
  c: Container,
  f: ContainerFleet,
  epochs: ReadonlyMap<string, number | null>,
  timings: string[],
): Promise<Held[]> {
  const held = await waitMidWork(f);
  const heldLine = held.map((h) => `${h.id} ${h.midWork ? 'just started' : 'held'} by ${h.owner}`);
  progress(`reboot: ordered with ${heldLine.join(', ')}`);
  const t = Date.now();
  await c.reboot();
  progress(`reboot: container down in ${seconds(t)}`);
  const tBoot = Date.now();
  const s = await c.boot();
  progress(`reboot: booted again (${s}) in ${seconds(tBoot)}`);
  const after = await waitFleetUp(f, state.units, epochs, 180_000);
  const backS = ((Date.now() - t) / 1000).toFixed(1);
  progress(`reboot → fleet back in ${backS} s: ${epochLine(after)}`);
  timings.push(`reboot → fleet back ${backS} s`);
  const logins = await sessions(c);
  if (logins)
    throw new RebootFailure(`a login session exists; the test must run without one:\n${logins}`);
  progress('no login session: the user manager runs by linger alone');
  return held;
}

async function scenario(): Promise<string> {
  const timings: string[] = [];
  const { c, f, epochs } = await setUp(timings);
  const t = Date.now();
  await createDag(f);
  const held = await rebootMidWork(c, f, epochs, timings);
  const cards = await waitDagDone(f, 300_000);
  const dagS = `${((Date.now() - t) / 1000).toFixed(1)} s`;
  timings.push(`DAG done ${dagS} from its creation, reboot included`);
  const v = judgeDag(DAG, cards, await dagEvents(f), held);
  if (v.problems.length)
    throw new RebootFailure(`the DAG after the reboot:\n  ${v.problems.join('\n  ')}`);
  progress(`dag: ${DAG.length} cards done, one completion each, in dependency order (${dagS})`);
  const also = (label: string, ids: string[]) => (ids.length ? `; ${label} ${ids.join(' ')}` : '');
  progress(
    `claims held at the reboot: reclaimed ${v.reclaimed.join(' ') || 'none'}` +
      also('given back by fleetd at the shutdown', v.releasedAtShutdown) +
      also('finished before the shutdown', v.finishedBeforeShutdown),
  );
  return timings.join(', ');
}

let cleaning: Promise<void> | null = null;

/** Stop the container we started, then remove this run's files (never a live mount). */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    try {
      await state.container?.stop();
    } catch (e) {
      progress(`cleanup: ${(e as Error).message}`);
      state.container?.kill();
    }
    const propagate = path.join('/run/systemd/nspawn/propagate', state.machine);
    for (const dir of [state.runDir, propagate]) {
      if (!dir || !existsSync(dir)) continue;
      if (KEEP && dir === state.runDir) {
        progress(`cleanup: kept ${dir} (MOSAIC_REBOOT_KEEP=1)`);
        continue;
      }
      if (!Container.unmounted(dir)) {
        progress(`cleanup: ${dir} still has mounts under it; left in place`);
        continue;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return cleaning;
}

async function main(): Promise<number> {
  process.on('exit', () => state.container?.kill());
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => {
      progress(`${sig}: stopping the container and cleaning up`);
      void cleanup().then(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  const t = Date.now();
  try {
    const timings = await scenario();
    await cleanup();
    console.log(`reboot test: passed in ${seconds(t)} (${timings})`);
    return 0;
  } catch (e) {
    if (e instanceof NotRun) {
      await cleanup();
      console.log(`reboot test: NOT RUN: ${e.message}`);
      return 77;
    }
    console.log(
      `\nreboot test: FAILED: ${e instanceof RebootFailure ? e.message : (e as Error).stack}`,
    );
    await printDiagnostics(state.container, state.fleet, state.units, state.nspawnLog);
    await cleanup();
    console.log(`reboot test: FAILED after ${seconds(t)}`);
    return 1;
  }
}

process.exitCode = await main();
