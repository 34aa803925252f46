import os from 'node:os';

/**
 * Which host and tmux server a `fleet ps` is about. fleetd answers a ps only for the scope it
 * serves itself; a CLI with another FLEET_HOST or TMUX_TMPDIR gathers its own (lib/ops/ps-view.ts).
 * Kept apart so the CLI's quick path loads nothing else.
 */
export interface PsScope {
  host: string;
  tmux_tmpdir: string | null;
}

/** The scope of a process with this environment: FLEET_HOST else the machine's name. */
export function psScope(env: NodeJS.ProcessEnv, host?: string): PsScope {
  return { host: host ?? (env.FLEET_HOST || os.hostname()), tmux_tmpdir: env.TMUX_TMPDIR || null };
}

export function sameScope(a: PsScope, b: PsScope): boolean {
  return a.host === b.host && a.tmux_tmpdir === b.tmux_tmpdir;
}
