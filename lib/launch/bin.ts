import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Look a program up on a PATH string the way execvp would; null when it is not there. */
export function findExecutable(name: string, pathValue: string): string | null {
  if (name.includes('/')) return isExecutable(name) ? path.resolve(name) : null;
  for (const dir of pathValue.split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, name);
    if (isExecutable(full)) return full;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `env` is how the pane's process gets exactly its environment and nothing else. */
export function envBinary(): string {
  for (const p of ['/usr/bin/env', '/bin/env']) if (existsSync(p)) return p;
  return 'env';
}

/** TERM inside a pane: tmux's own terminfo entry when the system has it. */
export function paneTerm(): string {
  const dirs = ['/usr/share/terminfo', '/lib/terminfo', '/etc/terminfo', '/usr/lib/terminfo'];
  return dirs.some((d) => existsSync(path.join(d, 't', 'tmux-256color')))
    ? 'tmux-256color'
    : 'screen-256color';
}
