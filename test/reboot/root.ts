import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { hostAptSource } from './apt-source.js';
import { NotRun, RebootFailure, describe, ok, progress, run, seconds, sleep } from './proc.js';

/**
 * The Debian root the container boots: debootstrapped once into a cache (~43 s, docs/pitfalls.md)
 * and copied per run, so a run never sees another run's fleet.
 *
 * polkitd is there because `fleet install-systemd` ends with `loginctl enable-linger <self>`,
 * which logind answers through polkit; with no login session and no polkit it is refused
 * ("Access denied") even when linger is already on.
 */
const PACKAGES = ['systemd', 'systemd-sysv', 'dbus', 'libpam-systemd', 'tmux', 'polkitd', 'procps'];
const CACHE_BASE = process.env.MOSAIC_REBOOT_CACHE ?? '/var/cache/mosaic-fleet';
const STAMP = '.mosaic-reboot-root.json';

/** What the project contributes to the root: a snapshot of the built CLI and its assets. */
const APP_PARTS = ['dist', 'framework', 'drizzle', 'package.json'];
export const APP_DIR = '/opt/mosaic-fleet';
/** The hostname stays the same across the reboot: claims name their host (owner fence). */
export const HOSTNAME = 'mf-reboot';

export interface CachedRoot {
  dir: string;
  /** seconds debootstrap took, or null when the cache was reused */
  debootstrapS: number | null;
}

function stampOf(suite: string, mirror: string): string {
  return JSON.stringify({ suite, mirror, packages: PACKAGES });
}

/** Reuse the cached root when it was made for the same suite, mirror and packages. */
export async function cachedRoot(): Promise<CachedRoot> {
  const src = hostAptSource();
  if ('problem' in src) throw new NotRun(`${src.problem} (read by test/reboot/apt-source.ts)`);
  const dir = path.join(CACHE_BASE, `reboot-root-${src.suite}`);
  const stamp = stampOf(src.suite, src.mirror);
  const stampFile = path.join(dir, STAMP);
  const complete = existsSync(path.join(dir, 'lib', 'systemd', 'systemd'));
  if (complete && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    progress(`debootstrap: cached root ${dir} reused`);
    return { dir, debootstrapS: null };
  }
  mkdirSync(CACHE_BASE, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const argv = [
    'debootstrap',
    '--variant=minbase',
    `--include=${PACKAGES.join(',')}`,
    src.suite,
    tmp,
    src.mirror,
  ];
  progress(`debootstrap: ${argv.join(' ')} (once; cached in ${dir})`);
  const t = Date.now();
  const r = await run(argv, { timeoutMs: 20 * 60_000 });
  if (!ok(r)) {
    rmSync(tmp, { recursive: true, force: true });
    throw new NotRun(`debootstrap failed: ${describe(r)}`);
  }
  const debootstrapS = (Date.now() - t) / 1000;
  writeFileSync(path.join(tmp, STAMP), stamp);
  // a stale cache (other suite, mirror or packages) is replaced whole
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  progress(`debootstrap: done in ${debootstrapS.toFixed(1)} s`);
  return { dir, debootstrapS };
}

/**
 * Copy dist/ as it is now. Other work may rebuild dist/ meanwhile (the build removes it first):
 * a copy is kept only when fleet.cjs and the file list did not change under it.
 */
async function snapshotApp(repo: string, dest: string): Promise<void> {
  const fingerprint = () => {
    const dist = path.join(repo, 'dist');
    const main = path.join(dist, 'fleet.cjs');
    if (!existsSync(main)) return null;
    return `${statSync(main).mtimeMs}:${readdirSync(dist).sort().join(',')}`;
  };
  for (let attempt = 1; attempt <= 5; attempt++) {
    const before = fingerprint();
    if (before) {
      rmSync(dest, { recursive: true, force: true });
      mkdirSync(dest, { recursive: true });
      for (const part of APP_PARTS)
        cpSync(path.join(repo, part), path.join(dest, part), { recursive: true });
      if (fingerprint() === before) return;
    }
    await sleep(3000);
  }
  throw new RebootFailure(`dist/ kept changing (or is missing) while copying it from ${repo}`);
}

/** A fresh root for this run: the cached one copied, plus hostname, machine id and the app. */
export async function runRoot(cache: string, runDir: string, repo: string): Promise<string> {
  const root = path.join(runDir, 'root');
  const t = Date.now();
  const r = await run(['cp', '-a', '--reflink=auto', cache, root], { timeoutMs: 10 * 60_000 });
  if (!ok(r)) throw new NotRun(`could not copy the cached root: ${describe(r)}`);
  rmSync(path.join(root, STAMP), { force: true });
  writeFileSync(path.join(root, 'etc', 'hostname'), `${HOSTNAME}\n`);
  // a fixed machine id keeps one journal across the reboot (read for diagnostics)
  writeFileSync(path.join(root, 'etc', 'machine-id'), `${randomBytes(16).toString('hex')}\n`);
  await snapshotApp(repo, path.join(root, APP_DIR));
  // the mount point of the read-only node_modules bind (container.ts)
  mkdirSync(path.join(root, APP_DIR, 'node_modules'), { recursive: true });
  progress(`root: copied to ${root} with the built CLI in ${APP_DIR} (${seconds(t)})`);
  return root;
}
