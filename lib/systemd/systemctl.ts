import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CommandError } from '../errors.js';
import { writeFileAtomic } from '../fsutil.js';
import type { RunResult, Runner } from '../runner.js';
import type { RenderedUnit, UnitNames } from './units.js';

/** The one module that runs systemctl and loginctl; argv arrays through the injected runner. */
const TIMEOUT_MS = 15_000;

async function must(runner: Runner, argv: string[]): Promise<RunResult> {
  const r = await runner(argv, { timeoutMs: TIMEOUT_MS });
  if (r.exitCode !== 0 || r.timedOut)
    throw new CommandError(argv, r.exitCode, r.stdout, r.stderr, { timedOut: r.timedOut });
  return r;
}

export interface InstallInput {
  runner: Runner;
  unitDir: string;
  units: RenderedUnit[];
  user: string;
  /** start the units now, not only at the next boot/login */
  start: boolean;
}

export interface InstallResult {
  written: string[];
  commands: string[][];
}

export async function installSystemd(i: InstallInput): Promise<InstallResult> {
  mkdirSync(i.unitDir, { recursive: true });
  const written: string[] = [];
  for (const u of i.units) {
    const file = path.join(i.unitDir, u.name);
    writeFileAtomic(file, u.text, 0o644);
    written.push(file);
  }
  const names = i.units.map((u) => u.name);
  const commands = [
    ['systemctl', '--user', 'daemon-reload'],
    ['systemctl', '--user', 'enable', ...(i.start ? ['--now'] : []), ...names],
  ];
  // asking for linger that is already on still goes through polkit, which refuses it to a user
  // without a login session (a unit, a script over nsenter): only ask when it is off
  const linger = await i.runner(['loginctl', 'show-user', i.user, '--property=Linger', '--value'], {
    timeoutMs: TIMEOUT_MS,
  });
  if (!(linger.exitCode === 0 && linger.stdout.trim() === 'yes'))
    commands.push(['loginctl', 'enable-linger', i.user]);
  for (const argv of commands) await must(i.runner, argv);
  return { written, commands };
}

export interface UninstallInput {
  runner: Runner;
  unitDir: string;
  names: string[];
  user: string;
  disableLinger: boolean;
}

export async function uninstallSystemd(i: UninstallInput): Promise<InstallResult> {
  const commands: string[][] = [['systemctl', '--user', 'disable', '--now', ...i.names]];
  // a unit that was never installed is not an error when uninstalling
  const first = await i.runner(commands[0]!, { timeoutMs: TIMEOUT_MS });
  if (first.exitCode !== 0 && !/not loaded|does not exist|No such file/i.test(first.stderr)) {
    throw new CommandError(commands[0]!, first.exitCode, first.stdout, first.stderr, {
      timedOut: first.timedOut,
    });
  }
  const written: string[] = [];
  for (const n of i.names) {
    const file = path.join(i.unitDir, n);
    rmSync(file, { force: true });
    written.push(file);
  }
  const rest = [['systemctl', '--user', 'daemon-reload']];
  if (i.disableLinger) rest.push(['loginctl', 'disable-linger', i.user]);
  for (const argv of rest) await must(i.runner, argv);
  return { written, commands: [...commands, ...rest] };
}

export type UnitEnablement = 'enabled' | 'disabled' | 'not-found' | 'unknown';

export interface BootStatus {
  units: { name: string; state: UnitEnablement }[];
  linger: 'yes' | 'no' | 'unknown';
  /** one line for the operator when the fleet would not come back after a reboot */
  warning: string | null;
}

function enablement(r: RunResult): UnitEnablement {
  const out = r.stdout.trim();
  if (
    ['enabled', 'enabled-runtime', 'linked', 'alias', 'static', 'indirect', 'generated'].includes(
      out,
    )
  )
    return 'enabled';
  if (['disabled', 'masked', 'masked-runtime'].includes(out)) return 'disabled';
  if (out === 'not-found' || /No such file|not found/i.test(r.stderr)) return 'not-found';
  return 'unknown';
}

/** Pure: the boot-enable warning from the observed states. */
export function bootWarning(
  units: BootStatus['units'],
  linger: BootStatus['linger'],
): string | null {
  const off = units
    .filter((u) => u.state === 'disabled' || u.state === 'not-found')
    .map((u) => u.name);
  const problems: string[] = [];
  if (off.length) problems.push(`not enabled: ${off.join(', ')} (run: fleet install-systemd)`);
  if (linger === 'no')
    problems.push('linger is off: the fleet stops at logout (loginctl enable-linger)');
  if (problems.length) return problems.join('; ');
  if (units.some((u) => u.state === 'unknown') || linger === 'unknown')
    return 'boot enablement unknown (systemd user manager not reachable)';
  return null;
}

export async function bootStatus(
  runner: Runner,
  names: UnitNames,
  user: string,
): Promise<BootStatus> {
  const list = [names.tmux, names.fleetd];
  const [a, b, l] = await Promise.all([
    ...list.map((n) => runner(['systemctl', '--user', 'is-enabled', n], { timeoutMs: 3_000 })),
    runner(['loginctl', 'show-user', user, '--property=Linger', '--value'], { timeoutMs: 3_000 }),
  ]);
  const units = [
    { name: list[0]!, state: enablement(a!) },
    { name: list[1]!, state: enablement(b!) },
  ];
  const lingerOut = l!.exitCode === 0 ? l!.stdout.trim() : '';
  const linger = lingerOut === 'yes' ? 'yes' : lingerOut === 'no' ? 'no' : 'unknown';
  return { units, linger, warning: bootWarning(units, linger) };
}

export interface RefreshInput {
  runner: Runner;
  unitDir: string;
  /** the units as the current templates render them, given what the installed ones hold */
  render(installed: ReadonlyMap<string, string>): RenderedUnit[];
  names: UnitNames;
  dryRun: boolean;
}

export interface RefreshResult {
  /** none of this fleet's units is installed: nothing to refresh */
  installed: boolean;
  changed: string[];
  unchanged: string[];
  commands: string[][];
}

/**
 * Bring installed units to the current templates (an update): only units already installed
 * are rewritten, and systemd is told to reload them. Units never installed stay so.
 */
export async function refreshUnits(i: RefreshInput): Promise<RefreshResult> {
  const installed = new Map<string, string>();
  for (const name of [i.names.tmux, i.names.fleetd]) {
    try {
      installed.set(name, readFileSync(path.join(i.unitDir, name), 'utf8'));
    } catch {
      // not installed
    }
  }
  const res: RefreshResult = {
    installed: installed.size > 0,
    changed: [],
    unchanged: [],
    commands: [],
  };
  if (!installed.size) return res;
  for (const u of i.render(installed)) {
    if (!installed.has(u.name)) continue;
    const file = path.join(i.unitDir, u.name);
    if (installed.get(u.name) === u.text) {
      res.unchanged.push(file);
      continue;
    }
    res.changed.push(file);
    if (!i.dryRun) writeFileAtomic(file, u.text, 0o644);
  }
  if (res.changed.length) {
    res.commands.push(['systemctl', '--user', 'daemon-reload']);
    if (!i.dryRun) await must(i.runner, res.commands[0]!);
  }
  return res;
}
