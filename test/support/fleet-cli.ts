import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built binary; `npm test` builds it first (scripts/test.sh). */
export const FLEET_BIN = path.join(ROOT, 'dist', 'fleet.cjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempHome(prefix = 'mf-home-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Run the built `fleet` binary in a FLEET_HOME, never throwing on a non-zero exit. */
export function runFleet(
  home: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string; bin?: string } = {},
): Promise<RunResult> {
  const bin = opts.bin ?? FLEET_BIN;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        env: { ...process.env, FLEET_HOME: home, ...opts.env },
        timeout: opts.timeoutMs ?? 60_000,
        cwd: opts.cwd ?? home,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
