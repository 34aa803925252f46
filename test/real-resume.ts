// Real runtimes come back on their conversation after `fleet restart` (docs/runtimes.md
// "Resume"); run by test/real-runtimes.sh after test/real-runtimes.ts: `npx tsx test/real-resume.ts`.
// Installs Claude Code and Codex from npm into a temp prefix (REAL_RUNTIMES_PREFIX reuses one),
// starts one agent of each through the built `fleet` binary on a throwaway tmux socket with a
// throwaway HOME, types a message into each so that the runtime writes its own session file,
// reads the id the fleet recorded in run/<name>.session.json, runs `fleet restart <name>` and
// checks that (a) the new pane process's argv carries the resume of that exact id, and (b) the
// runtime accepted it: alive after a while, no "not found" error, the earlier message on screen.
//
// No credentials: Claude Code records a typed prompt even when it is not logged in. Codex talks
// to a local stand-in of the Responses API (a model provider in the throwaway ~/.codex), so it
// completes real turns, calls its notify program (`fleet hook codex`) with the thread id, and,
// once resumed, sends the earlier turn again with the next one: that is checked too.
//
// Env: REAL_RUNTIMES_PREFIX=<dir> reuses an install; REAL_RESUME_WAIT=<s> (default 20) is how
// long a resumed runtime must stay up; REAL_RESUME_KEEP=1 keeps the temp dir.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { findSessionFile } from '../lib/launch/session-file.js';
import { claude } from '../lib/runtimes/claude.js';
import { codex } from '../lib/runtimes/codex.js';
import type { RuntimeAdapter } from '../lib/runtimes/types.js';
import { realWorld, runScript, runtimesInstalled, sleep } from './support/real-world.js';

const WAIT_S = Number(process.env.REAL_RESUME_WAIT || 20);
const log = (s: string) => console.log(`[real-resume] ${s}`);

interface Case {
  adapter: RuntimeAdapter;
  pkg: string;
  /** the argv words that reopen conversation `id`, and where they must stand */
  resumed(argv: string[], id: string): boolean;
  /** what the runtime prints when it does not have the conversation */
  notFound: RegExp;
}

const CASES: Case[] = [
  {
    adapter: claude,
    pkg: '@anthropic-ai/claude-code',
    resumed: (argv, id) => argv.some((w, i) => w === '--resume' && argv[i + 1] === id),
    notFound: /No conversation found/i,
  },
  {
    adapter: codex,
    pkg: '@openai/codex',
    // a subcommand: right after the program (the pane runs node's wrapper: node …/codex resume <id>)
    resumed: (argv, id) => {
      const at = argv.findIndex((w) => /(^|\/)codex(\.js)?$/.test(w));
      return at >= 0 && argv[at + 1] === 'resume' && argv[at + 2] === id;
    },
    notFound: /No saved session found/i,
  },
];

interface SessionJson {
  id: string | null;
  runtime: string;
  source: string;
}

/** A stand-in for the Responses API: one canned reply per request, each request's body kept. */
function responsesStub(): Promise<{ url: string; bodies: string[]; close(): void }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/responses')) {
        res.writeHead(404).end();
        return;
      }
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const ev = (type: string, o: object) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`);
      const n = bodies.length;
      ev('response.created', { response: { id: `resp_${n}` } });
      ev('response.output_item.done', {
        item: {
          type: 'message',
          role: 'assistant',
          id: `msg_${n}`,
          content: [{ type: 'output_text', text: `stub reply ${n}` }],
        },
      });
      ev('response.completed', {
        response: {
          id: `resp_${n}`,
          usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
        },
      });
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/v1`, bodies, close: () => server.close() });
    }),
  );
}

async function until<T>(what: string, s: number, f: () => T | null | undefined): Promise<T> {
  const end = Date.now() + s * 1000;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${s}s waiting for ${what}`);
    await sleep(500);
  }
}

async function main(): Promise<number> {
  const prefix = runtimesInstalled(
    CASES.map((c) => c.pkg),
    log,
  );
  const binDir = path.join(prefix, 'node_modules', '.bin');
  const versions = CASES.map((c) => {
    const pj = path.join(prefix, 'node_modules', c.pkg, 'package.json');
    return existsSync(pj)
      ? `${c.pkg}@${(JSON.parse(readFileSync(pj, 'utf8')) as { version: string }).version}`
      : `${c.pkg} missing`;
  });
  log(versions.join(', '));
  const problems: string[] = [];
  const present = CASES.filter((c) => {
    const ok = existsSync(path.join(binDir, c.adapter.bin));
    if (!ok) problems.push(`${c.adapter.id}: ${c.pkg} installed no ${c.adapter.bin}`);
    return ok;
  });

  const world = realWorld({
    dirPrefix: 'mf-rsw-',
    socket: `mf-test-resume-${process.pid}`,
    fleetTimeoutMs: 90_000,
  });
  const { work, home, userHome, project, fleet, tmux } = world;
  const name = (c: Case) => `rs-${c.adapter.id}`;
  writeFileSync(
    path.join(home, 'roster.yaml'),
    [
      'version: 2',
      `tmux: { socket_name: ${world.socket} }`,
      `defaults: { working_directory: ${JSON.stringify(project)}, heartbeat_interval_seconds: 5 }`,
      'runtimes:',
      ...present.map((c) => `  ${c.adapter.id}: { bin_dir: ${JSON.stringify(binDir)} }`),
      'agents:',
      ...present.map(
        (c, i) =>
          `  - { name: ${name(c)}, runtime: ${c.adapter.id}, class: ${i === 0 ? 'orchestrator' : 'enhancer'} }`,
      ),
    ].join('\n') + '\n',
  );
  const stub = await responsesStub();
  // Codex: a model provider that needs no login, the local stand-in; the project trusted
  mkdirSync(path.join(userHome, '.codex'), { recursive: true });
  writeFileSync(
    path.join(userHome, '.codex', 'config.toml'),
    [
      'model_provider = "local"',
      'model = "stub-model"',
      '[model_providers.local]',
      'name = "local stand-in"',
      `base_url = ${JSON.stringify(stub.url)}`,
      'wire_api = "responses"',
      `[projects.${JSON.stringify(project)}]`,
      'trust_level = "trusted"',
    ].join('\n') + '\n',
  );
  const screen = (c: Case) => world.screen(name(c), 200);
  const pane = (c: Case) => {
    const [pid = '', dead = '', start = ''] = tmux(
      'display-message',
      '-p',
      '-t',
      `=${name(c)}:`,
      '#{pane_pid}\t#{pane_dead}\t#{pane_start_command}',
    )
      .trimEnd()
      .split('\t');
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid: Number(pid), dead: dead === '1', start, argv };
  };
  const session = (c: Case): SessionJson | null => {
    const f = path.join(home, 'run', `${name(c)}.session.json`);
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as SessionJson) : null;
  };
  const place = (_c: Case) => ({ home: userHome, cwd: project, env: {} });
  const sessionFileOf = (c: Case, id: string) => {
    const q = c.adapter.resume!.sessionFile!(id, place(c));
    return q && findSessionFile(q);
  };
  const type = async (c: Case, text: string) => {
    tmux('send-keys', '-t', `=${name(c)}:`, '-l', text);
    await sleep(700);
    tmux('send-keys', '-t', `=${name(c)}:`, 'Enter');
  };

  try {
    log(fleet('up', '--stagger', '500').trim().replace(/\n/g, ' | '));
    await sleep(12_000);
    const before = new Map<Case, { id: string; token: string }>();
    for (const c of present) {
      const token = `resume-token-${c.adapter.id}-${process.pid}`;
      try {
        await type(c, `remember ${token}`);
        // the id the fleet recorded and the runtime's own file for it, written once it took the prompt
        const { id, file } = await until(`${c.adapter.id}'s session file`, 45, () => {
          const id = session(c)?.id;
          const file = id ? sessionFileOf(c, id) : null;
          return id && file && readFileSync(file, 'utf8').includes(token) ? { id, file } : null;
        });
        log(`${c.adapter.id}: recorded ${JSON.stringify(session(c))}, its file ${file}`);
        before.set(c, { id, token });
      } catch (e) {
        problems.push(
          `${c.adapter.id}: ${(e as Error).message}; session.json ${JSON.stringify(session(c))}`,
        );
        writeFileSync(path.join(work, `${c.adapter.id}-before.txt`), screen(c));
      }
    }
    for (const [c, { id, token }] of before) {
      const requests = stub.bodies.length;
      log(fleet('restart', name(c)).trim());
      await sleep(WAIT_S * 1000);
      const p = pane(c);
      const shown = screen(c);
      writeFileSync(path.join(work, `${c.adapter.id}-resumed.txt`), shown);
      const argvOk = c.resumed(p.argv, id) && p.start.includes(id);
      const alive = !p.dead && existsSync(`/proc/${p.pid}`);
      const refused = c.notFound.test(shown);
      const onScreen = shown.includes(token);
      const still = session(c)?.id === id && sessionFileOf(c, id) !== null;
      let replayed: boolean | null = null;
      if (c.adapter.id === 'codex' && alive) {
        // the next turn carries the earlier one: the conversation really was reopened
        await type(c, 'and now?');
        await until('codex to send its next turn', 30, () => stub.bodies.length > requests);
        await sleep(2000);
        replayed = stub.bodies.slice(requests).some((b) => b.includes(token));
      }
      const ok = argvOk && alive && !refused && onScreen && still && replayed !== false;
      log(
        `${c.adapter.id}: ${ok ? 'RESUMED' : 'NOT RESUMED'} ${id} — argv ${argvOk ? 'has' : 'LACKS'} the resume` +
          ` (${p.argv.slice(0, 4).join(' ')} …), ${alive ? `alive after ${WAIT_S}s` : 'DEAD'}` +
          `, ${refused ? 'REFUSED it' : 'no "not found"'}, earlier prompt ${onScreen ? 'on screen' : 'NOT on screen'}` +
          `, record and session file ${still ? 'kept' : 'LOST'}` +
          (replayed === null
            ? ''
            : `, next turn ${replayed ? 'carried' : 'did NOT carry'} the earlier one`),
      );
      if (!ok) problems.push(`${c.adapter.id}: not resumed (screen in ${work})`);
    }
  } finally {
    try {
      fleet('down');
    } catch {
      // best effort: the server goes below
    }
    stub.close();
    world.close(Boolean(process.env.REAL_RESUME_KEEP) || problems.length > 0, log);
  }
  for (const p of problems) log(`PROBLEM ${p}`);
  log(problems.length ? `${problems.length} problem(s)` : `all ${present.length} runtimes resumed`);
  return problems.length ? 1 : 0;
}

runScript(main);
