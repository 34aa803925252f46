/**
 * The real thing under test: `fleet serve` (fleetd with the web panel, from dist/ and .next/)
 * in a temp FLEET_HOME, the demo roster on a tmux socket of its own with stub agents started
 * by `fleet up`, and an operator account made by `fleet user create`. stop() kills only what
 * this started: fleetd by pid, and the tmux server of this socket.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, parseDocument } from 'yaml';
import { fleetHome, type FleetHome } from '@/lib/home.js';
import { createDatabase, freePort } from '@/test/support/postgres.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FLEET = path.join(ROOT, 'dist', 'fleet.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Panel {
  url: string;
  home: FleetHome;
  socket: string;
  email: string;
  password: string;
  store: 'pglite' | 'postgres';
  /**
   * the PostgreSQL database fleetd uses (store 'postgres'), for a test that writes what another
   * host's fleetd would; null on PGlite, which only fleetd's own process may open
   */
  databaseUrl: string | null;
  fleet(args: string[], input?: string): Promise<CliResult>;
  tmux(args: string[]): Promise<CliResult>;
  capture(agent: string): Promise<string>;
  log(): string;
  stop(): Promise<void>;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.TMUX;
  delete env.TMUX_PANE;
  delete env.DATABASE_URL;
  return env;
}

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null> | T | null,
  timeoutMs: number,
  onFail?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${onFail ? `\n${onFail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface StartOptions {
  store?: 'pglite' | 'postgres';
  /** server URL of a PostgreSQL; a fresh database is made on it */
  postgresUrl?: string;
  /** start the demo agents (default true) */
  up?: boolean;
  /** extra environment for fleetd only (e.g. a secret that must never reach a pane) */
  serverEnv?: Record<string, string>;
  /** extra launch environment per demo agent, merged into its roster `env:` before anything starts */
  agentEnv?: Record<string, Record<string, string>>;
  /**
   * the roster's `connector:` block (docs/connectors.md), written before fleetd starts; its
   * secret is fleetd's to read, so it goes in `serverEnv`
   */
  connector?: Record<string, unknown>;
  /**
   * other top-level roster keys, set before fleetd starts (e.g. `repos` and `default_repo`:
   * docs/review.md)
   */
  roster?: Record<string, unknown>;
}

/** Merge into agents' roster `env:` maps, through the yaml Document API so comments stay. */
function addAgentEnv(file: string, extra: Record<string, Record<string, string>>): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const agents = doc.get('agents');
  if (!isSeq(agents)) throw new Error(`${file}: no agents list`);
  for (const [name, env] of Object.entries(extra)) {
    const i = agents.items.findIndex((a) => isMap(a) && a.get('name') === name);
    if (i === -1) throw new Error(`${file}: no agent ${name} to give an env`);
    for (const [k, v] of Object.entries(env)) doc.setIn(['agents', i, 'env', k], v);
  }
  writeFileSync(file, doc.toString());
}

/** Set the roster's `connector:` block, through the yaml Document API so comments stay. */
function setConnector(file: string, block: Record<string, unknown>): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.set('connector', doc.createNode(block));
  writeFileSync(file, doc.toString());
}

/** Set top-level roster keys, through the yaml Document API so comments stay. */
function setRosterKeys(file: string, keys: Record<string, unknown>): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  for (const [k, v] of Object.entries(keys)) doc.set(k, doc.createNode(v));
  writeFileSync(file, doc.toString());
}

export async function startPanel(o: StartOptions = {}): Promise<Panel> {
  const store = o.store ?? 'pglite';
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-e2e-'));
  const home = fleetHome(root);
  const socket = `e2e-${process.pid}-${randomBytes(3).toString('hex')}`;
  const db = store === 'postgres' ? await createDatabase(o.postgresUrl!, 'fleet_e2e') : null;
  const port = await freePort();
  const env = baseEnv({ FLEET_HOME: root, FLEET_WEB_PORT: String(port), FLEET_WEB_DIR: ROOT });
  const fleet = (args: string[], input?: string) =>
    run(process.execPath, [FLEET, ...args], env, input);
  const tmux = (args: string[]) => run('tmux', ['-L', socket, '-f', '/dev/null', ...args], env);

  const init = await fleet(['init', '--profile', 'demo', '--socket', socket, '--write']);
  if (init.code !== 0) throw new Error(`fleet init failed: ${init.stderr}`);
  // before fleetd starts: its supervisor launches the roster's agents with their env as read then
  if (o.agentEnv) addAgentEnv(home.roster, o.agentEnv);
  if (o.connector) setConnector(home.roster, o.connector);
  if (o.roster) setRosterKeys(home.roster, o.roster);

  let log = '';
  const child: ChildProcess = spawn(process.execPath, [FLEET, 'serve'], {
    env: { ...env, ...o.serverEnv, ...(db ? { DATABASE_URL: db.url } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));

  const stop = async () => {
    if (!exited) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(t);
    }
    await fleet(['down', '--kill-server']);
    await tmux(['kill-server']);
    await db?.drop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await waitFor(
      'fleetd with the web panel',
      () => {
        if (exited) throw new Error(`fleet serve exited:\n${log}`);
        return /web: panel on/.test(log) && /serving/.test(log);
      },
      120_000,
      () => log,
    );
    if (o.up !== false) {
      const up = await fleet(['up']);
      if (up.code !== 0) throw new Error(`fleet up failed: ${up.stderr}`);
      await waitFor(
        'demo agents at their prompt',
        async () => {
          const ps = await fleet(['ps', '--json']);
          if (ps.code !== 0) return false;
          const rows = (JSON.parse(ps.stdout) as { agents: { session: string }[] }).agents;
          return rows.length >= 5 && rows.every((r) => r.session === 'alive');
        },
        60_000,
      );
    }
    const email = 'operator@example.com';
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const user = await fleet(['user', 'create', '--email', email, '--password-stdin'], password);
    if (user.code !== 0) throw new Error(`fleet user create failed: ${user.stderr}`);
    return {
      url: `http://127.0.0.1:${port}`,
      home,
      socket,
      email,
      password,
      store,
      databaseUrl: db?.url ?? null,
      fleet,
      tmux,
      capture: async (agent) =>
        (await tmux(['capture-pane', '-p', '-J', '-t', `=${agent}:`])).stdout,
      log: () => log,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export function readRoster(p: Panel): string {
  return readFileSync(p.home.roster, 'utf8');
}

export { waitFor };
