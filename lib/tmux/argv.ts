/**
 * Pure argv helpers for tmux. Targets are always exact: `-t name` prefix-matches in tmux,
 * `=name` does not; windows and panes need the trailing colon (`=name:`), docs/pitfalls.md "Activity and targets".
 */
export const sessionTarget = (name: string): string => `=${name}`;
export const paneTarget = (name: string): string => `=${name}:`;

/**
 * tmux splits a command line given as argv at any word that ENDS with `;` (it strips the `;`
 * and starts a new command), so `send-keys -l 'rm x;'` would lose the `;`. A trailing `\;`
 * is unescaped to `;` instead — exactly one backslash is removed (checked on tmux 3.3a).
 */
export function escapeWord(word: string): string {
  return word.endsWith(';') ? `${word.slice(0, -1)}\\;` : word;
}

/** Join tmux commands into one invocation with `;` separators, escaping every word. */
export function sequence(commands: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  commands.forEach((cmd, i) => {
    if (i > 0) out.push(';');
    for (const w of cmd) out.push(escapeWord(w));
  });
  return out;
}

export interface SocketRef {
  /** -L name: a socket in tmux's socket dir ($TMUX_TMPDIR/tmux-<uid>/) */
  name?: string;
  /** -S path: an explicit socket path */
  path?: string;
}

/**
 * Global flags on every call. `-f /dev/null`: the fleet's server never reads the operator's
 * ~/.tmux.conf (which may turn on `mouse` or a global `window-size manual`, both harmful here).
 */
export function globalFlags(socket: SocketRef): string[] {
  if (socket.path) return ['-S', socket.path, '-f', '/dev/null'];
  if (socket.name) return ['-L', socket.name, '-f', '/dev/null'];
  throw new Error('tmux socket is required (never the default server)');
}

/** Environment for a tmux client: TMUX/TMUX_PANE removed so a fleet call made inside a pane
 * is not treated as nested, and no secret of the caller can leak into a server it starts. */
const TMUX_CLIENT_ENV_KEYS = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TMUX_TMPDIR',
  'XDG_RUNTIME_DIR',
  'SHELL',
] as const;

export function tmuxClientEnv(
  env: NodeJS.ProcessEnv,
  extra: readonly string[] = [],
): NodeJS.ProcessEnv {
  // built up key by key: Next's types make NODE_ENV a required key of ProcessEnv, which an
  // empty object literal is not, though at run time the type is only a string map
  const out = {} as NodeJS.ProcessEnv;
  for (const k of [...TMUX_CLIENT_ENV_KEYS, ...extra]) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  delete out.TMUX;
  delete out.TMUX_PANE;
  // Without a UTF-8 locale tmux 3.3a prints every tab of a -F format as `_` (measured), which
  // breaks list-panes parsing under systemd or an `env -i` parent: force a UTF-8 ctype.
  const locale = out.LC_ALL || out.LC_CTYPE || out.LANG || '';
  if (!/utf-?8/i.test(locale)) {
    delete out.LC_ALL;
    out.LC_CTYPE = 'C.UTF-8';
  }
  return out;
}
