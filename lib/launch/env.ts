import path from 'node:path';

/**
 * The environment an agent process gets: an explicit allowlist from the launching process,
 * never its whole `process.env` (which may hold DATABASE_URL and auth secrets, docs/architecture.md
 * invariant 7), then agents/<name>.env, then the roster's launch config, then the launch's own
 * variables. TMUX/TMUX_PANE are always removed (the agent must not think it is nested).
 */
const ENV_ALLOWLIST = [
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'LC_MESSAGES',
  'TZ',
  'TMPDIR',
  'TMUX_TMPDIR',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'XDG_STATE_HOME',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
] as const;

export const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

export interface LaunchEnvInput {
  /** the launching process's env: only allowlisted keys (and PATH) are read from it */
  base: NodeJS.ProcessEnv;
  /** the runtime's own defaults (lib/runtimes/<id>.ts `env`): everything below overrides them */
  runtime?: Readonly<Record<string, string>>;
  /** agents/<name>.env, when present */
  envFile: Record<string, string>;
  /** agentEnvVars(resolved agent): the roster's launch config */
  roster: Record<string, string>;
  /** set by this launch: FLEET_HOME, MOSAIC_AGENT_EPOCH, … */
  launch: Record<string, string>;
  /** directories put first on PATH: the runtime's bin_dir, node's own dir */
  pathFirst: readonly (string | undefined)[];
  term: string;
}

function joinPath(first: readonly (string | undefined)[], rest: string): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const d of [...first, ...rest.split(path.delimiter)]) {
    if (!d || seen.has(d)) continue;
    seen.add(d);
    out.push(d);
  }
  return out.join(path.delimiter);
}

export function buildLaunchEnv(i: LaunchEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ENV_ALLOWLIST) {
    const v = i.base[k];
    if (v !== undefined) env[k] = v;
  }
  env.TERM = i.term;
  env.COLORTERM = 'truecolor';
  Object.assign(env, i.runtime, i.envFile, i.roster, i.launch);
  env.PATH = joinPath(i.pathFirst, env.PATH ?? i.base.PATH ?? DEFAULT_PATH);
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
}
