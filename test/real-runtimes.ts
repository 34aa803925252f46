// Real runtimes through the fleet (run by CI on its own: `npx tsx test/real-runtimes.ts`).
// Installs pi, Claude Code, Codex and opencode from npm into a temp prefix, launches each
// through the built `fleet` binary in a detached pane on a throwaway socket, with a throwaway
// HOME (so no credentials), and checks that 30 s later each is still alive and shows in
// `fleet ps --json` without drift. Screens are saved for docs/runtimes.md and the adapters.
// It also proves that each agent's contract reached it (docs/runtimes.md "Contract delivery"):
// run/<name>.contract.md holds `fleet agent contract <name>` byte for byte, and the pane
// process's /proc/<pid>/cmdline or environ carries the mechanism that points at it.
//
// Env: REAL_RUNTIMES_PREFIX=<dir> reuses an existing install; REAL_RUNTIMES_OUT=<dir> keeps
// the captures; REAL_RUNTIMES_WAIT=<s> changes the 30 s.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { realWorld, runScript, runtimesInstalled, sleep } from './support/real-world.js';

/** What the pane process shows of the contract: its argv and environ, the file and its text. */
interface Seen {
  argv: string[];
  environ: string[];
  /** tmux's #{pane_start_command}: the argv the fleet gave the pane */
  start: string;
  file: string;
  text: string;
  /** the file was read after it was written (atime past mtime; stat'ed before this script reads it) */
  read: boolean;
}

/** a flag followed by the contract file */
const flagWithFile = (flag: string) => (s: Seen) =>
  s.argv.some((w, i) => w === flag && s.argv[i + 1] === s.file);

const RUNTIMES = [
  {
    id: 'pi',
    pkg: '@mariozechner/pi-coding-agent',
    bin: 'pi',
    // pi sets process.title, which overwrites its /proc cmdline: the flag is read from the
    // pane's start command, and the file must have been read since it was written
    reached: (s: Seen) =>
      s.read && s.start.includes('--append-system-prompt') && s.start.includes(s.file),
  },
  {
    id: 'claude',
    pkg: '@anthropic-ai/claude-code',
    bin: 'claude',
    reached: flagWithFile('--append-system-prompt-file'),
  },
  {
    id: 'codex',
    pkg: '@openai/codex',
    bin: 'codex',
    reached: (s: Seen) =>
      s.argv.some(
        (w, i) =>
          s.argv[i - 1] === '-c' && w === `developer_instructions=${JSON.stringify(s.text)}`,
      ),
  },
  {
    id: 'opencode',
    pkg: 'opencode-ai',
    bin: 'opencode',
    reached: (s: Seen) =>
      s.environ.includes(`OPENCODE_CONFIG_CONTENT=${JSON.stringify({ instructions: [s.file] })}`),
  },
];

const procWords = (pid: number, what: 'cmdline' | 'environ'): string[] =>
  readFileSync(`/proc/${pid}/${what}`, 'utf8').split('\0').filter(Boolean);
const WAIT_S = Number(process.env.REAL_RUNTIMES_WAIT || 30);

interface PsRow {
  name: string;
  runtime: string;
  session: string;
  pane_pid: number | null;
  drift: boolean | null;
  detected_runtime: string | null;
  readiness: string;
  heartbeat_status: string | null;
  tenant_id: string;
  host: string;
}

const log = (s: string) => console.log(`[real-runtimes] ${s}`);

async function main(): Promise<number> {
  const prefix = runtimesInstalled(
    RUNTIMES.map((r) => r.pkg),
    log,
  );
  const binDir = path.join(prefix, 'node_modules', '.bin');
  const problems: string[] = [];
  const present = RUNTIMES.filter((r) => {
    const ok = existsSync(path.join(binDir, r.bin));
    if (!ok) problems.push(`${r.id}: ${r.pkg} installed no ${r.bin} in ${binDir}`);
    return ok;
  });

  const world = realWorld({
    dirPrefix: 'mf-rtw-',
    socket: `mf-rt-${process.pid}`,
    fleetTimeoutMs: 60_000,
  });
  const { home, project, fleet, tmux } = world;
  const out = process.env.REAL_RUNTIMES_OUT || path.join(world.work, 'out');
  mkdirSync(out, { recursive: true });
  const roster = [
    'version: 2',
    `tmux: { socket_name: ${world.socket} }`,
    `defaults: { working_directory: ${JSON.stringify(project)}, heartbeat_interval_seconds: 5 }`,
    'runtimes:',
    ...present.map((r) => `  ${r.id}: { bin_dir: ${JSON.stringify(binDir)} }`),
    // a repo in the roster lets the runtimes that confine file tools into the card worktrees
    'repos:',
    `  - { name: project, path: ${JSON.stringify(project)}, base: main }`,
    'agents:',
    ...present.map(
      (r, i) =>
        `  - { name: rt-${r.id}, runtime: ${r.id}, class: ${i === 0 ? 'orchestrator' : 'enhancer'} }`,
    ),
  ];
  writeFileSync(path.join(home, 'roster.yaml'), roster.join('\n') + '\n');

  try {
    log(fleet('up', '--stagger', '500').trim());
    for (const at of [8, WAIT_S]) {
      await sleep((at === 8 ? 8 : WAIT_S - 8) * 1000);
      for (const r of present)
        writeFileSync(path.join(out, `${r.id}-${at}s.txt`), world.screen(`rt-${r.id}`));
    }
    const ps = JSON.parse(fleet('ps', '--json')) as { agents: PsRow[] };
    writeFileSync(path.join(out, 'ps.json'), JSON.stringify(ps, null, 2));
    for (const r of present) {
      const row = ps.agents.find((a) => a.name === `rt-${r.id}`);
      const line = row
        ? `session=${row.session} pid=${row.pane_pid} drift=${row.drift} detected=${row.detected_runtime} readiness=${row.readiness} hb=${row.heartbeat_status}`
        : 'no row';
      log(`${r.id}: ${line}`);
      if (!row || row.session !== 'alive')
        problems.push(`${r.id}: not alive after ${WAIT_S}s (${line})`);
      else if (row.drift !== false)
        problems.push(`${r.id}: drift ${row.drift} (detected ${row.detected_runtime})`);
      if (row && (row.tenant_id === undefined || row.host === undefined))
        problems.push(`${r.id}: ps row lacks tenant_id/host`);
      if (row?.pane_pid) {
        const want = JSON.parse(fleet('agent', 'contract', `rt-${r.id}`, '--json')) as {
          contract: string;
          bytes: number;
        };
        const file = path.join(home, 'run', `rt-${r.id}.contract.md`);
        const st = existsSync(file) ? statSync(file) : null;
        const text = st ? readFileSync(file, 'utf8') : '';
        const seen: Seen = {
          argv: procWords(row.pane_pid, 'cmdline'),
          environ: procWords(row.pane_pid, 'environ'),
          start: tmux('display-message', '-p', '-t', `=rt-${r.id}:`, '#{pane_start_command}'),
          file,
          text,
          read: st !== null && st.atimeMs > st.mtimeMs,
        };
        const ok = text === want.contract && r.reached(seen);
        const worktrees = path.join(home, 'worktrees');
        const addDir = seen.argv.some(
          (w, i) =>
            (w === '--add-dir' && seen.argv[i + 1] === worktrees) ||
            (seen.argv[i - 1] === '-c' &&
              w === `sandbox_workspace_write.writable_roots=${JSON.stringify([worktrees])}`),
        );
        if (r.id === 'claude' || r.id === 'codex') {
          log(`${r.id}: let into ${worktrees}: ${addDir ? 'seen' : 'MISSING'} (docs/review.md)`);
          if (!addDir) problems.push(`${r.id}: not let into the card worktrees`);
        }
        log(
          `${r.id}: contract ${want.bytes} bytes, file ${text === want.contract ? 'matches' : 'DIFFERS'}` +
            `${seen.read ? ' and was read' : ''}, mechanism ${r.reached(seen) ? 'seen' : 'MISSING'}`,
        );
        if (!ok) problems.push(`${r.id}: contract did not reach the agent`);
      }
    }
    log(`screens saved in ${out}`);
  } finally {
    world.close(Boolean(process.env.REAL_RUNTIMES_OUT), log);
  }
  for (const p of problems) log(`PROBLEM ${p}`);
  log(
    problems.length
      ? `${problems.length} problem(s)`
      : `all ${present.length} runtimes alive after ${WAIT_S}s without drift`,
  );
  return problems.length ? 1 : 0;
}

runScript(main);
