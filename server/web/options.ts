/**
 * Where and how the panel listens. Defaults: 127.0.0.1:7420, production mode (the `next build`
 * output in .next/). Flags of `fleet serve` win over the environment.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { usage } from '@/lib/errors.js';

const DEFAULT_WEB_PORT = 7420;
const DEFAULT_WEB_HOST = '127.0.0.1';

export interface WebOptions {
  enabled: boolean;
  host: string;
  /** 0 picks a free port (tests) */
  port: number;
  /** `next dev` (compiles on demand, hot reload) instead of the built panel */
  dev: boolean;
  /** the package root holding next.config.ts and .next/ */
  dir: string;
  /** the URL browsers use when it is not http://host:port (a reverse proxy); also trusted as an origin */
  publicUrl?: string;
}

export interface WebFlags {
  web?: boolean;
  webHost?: string;
  webPort?: string;
  webDev?: boolean;
  webUrl?: string;
}

/** The package root: walk up from this module (lib via tsx, or a dist/ chunk) to next.config.ts. */
export function webDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLEET_WEB_DIR) return path.resolve(env.FLEET_WEB_DIR);
  for (const start of [path.dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'next.config.ts')) && existsSync(path.join(dir, 'app')))
        return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('cannot find the web panel (next.config.ts); set FLEET_WEB_DIR');
}

function parsePort(v: string, from: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw usage(`${from} must be a port number (got "${v}")`);
  return n;
}

const off = (v: string | undefined) => v === '0' || v === 'false' || v === 'off';

export function webOptions(flags: WebFlags, env: NodeJS.ProcessEnv): WebOptions {
  const portText = flags.webPort ?? env.FLEET_WEB_PORT;
  return {
    enabled: flags.web !== false && !off(env.FLEET_WEB),
    host: flags.webHost ?? env.FLEET_WEB_HOST ?? DEFAULT_WEB_HOST,
    port:
      portText === undefined
        ? DEFAULT_WEB_PORT
        : parsePort(portText, flags.webPort ? '--web-port' : 'FLEET_WEB_PORT'),
    dev: Boolean(flags.webDev) || env.FLEET_WEB_DEV === '1',
    dir: env.FLEET_WEB_DIR ? path.resolve(env.FLEET_WEB_DIR) : '',
    publicUrl: flags.webUrl ?? env.FLEET_WEB_URL,
  };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this host only. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const h = host.replace(/^\[|\]$/g, '');
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

/** http://host:port as a browser would write it. */
export function originOf(host: string, port: number): string {
  const h = net.isIPv6(host) ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/** The panel's flags on `fleet serve` (with --detach, use the FLEET_WEB_* environment instead). */
export function addWebOptions(cmd: Command): Command {
  return cmd
    .option('--no-web', 'do not serve the web panel (env FLEET_WEB=0)')
    .option(
      '--web-host <host>',
      `address the web panel binds (env FLEET_WEB_HOST; default ${DEFAULT_WEB_HOST})`,
    )
    .option('--web-port <port>', `web panel port (env FLEET_WEB_PORT; default ${DEFAULT_WEB_PORT})`)
    .option('--web-url <url>', 'the URL browsers use, when behind a proxy (env FLEET_WEB_URL)')
    .option('--web-dev', 'serve the panel with `next dev` (hot reload) instead of the build');
}
