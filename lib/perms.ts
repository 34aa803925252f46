/**
 * Pure rules for the fleet's file modes and umasks (docs/security.md "Other local users").
 * Another local user must not read the store (password hashes sit in PGlite's WAL) or rewrite
 * it, so FLEET_HOME, db/ and run/ are 0700 and fleetd runs under umask 077. The programs fleetd
 * starts for the operator (agents, acceptance checks) write into the operator's repositories
 * and get back the operator's own umask through withUmask().
 */

/** fleetd's umask: files 0600, directories 0700 */
export const PRIVATE_UMASK = 0o077;
export const PRIVATE_DIR_MODE = 0o700;

/** The mode a private directory should have, or null when `mode` gives nothing to group/other. */
export function tightenedMode(mode: number): number | null {
  const perms = mode & 0o7777;
  return perms & 0o077 ? perms & ~0o077 : null;
}

/** `0755`, as chmod and umask write it. */
export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** The shell's own path: POSIX guarantees it, so no PATH lookup is involved. */
const POSIX_SH = '/bin/sh';

/**
 * argv that runs `argv` under `umask`, without evaluating any word of it: the script is a
 * constant apart from the octal digits, and the caller's words reach it as positional
 * parameters ("$@"), which the shell passes on to exec as they are. `exec` replaces the shell,
 * so the pid tmux or a caller sees is the program's own.
 */
export function withUmask(argv: readonly string[], umask: number): string[] {
  if (!argv.length) throw new Error('withUmask: empty argv');
  if (!Number.isInteger(umask) || umask < 0 || umask > 0o777)
    throw new Error(`withUmask: not a umask: ${umask}`);
  return [POSIX_SH, '-c', `umask ${octal(umask)}; exec "$@"`, 'sh', ...argv];
}
