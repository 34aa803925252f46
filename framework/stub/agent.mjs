#!/usr/bin/env node
// Mosaic Fleet stub agent: a small TUI-like agent with no LLM, used by the demo and the tests.
// It shows a prompt whose prefix carries its state (`stub> `, `stub[busy]> `,
// `stub[waiting]> `), edits its input line in raw mode (bracketed paste understood), writes
// heartbeat protocol v1 to run/<name>.hb, works on tasks for the time they ask and reports
// completion. Plain JavaScript, no dependencies: it is shipped as is in framework/.
//
// Input lines it understands:
//   task <id> <seconds>          work <seconds>, printing progress, then `[stub] done <id>`
//   ... work: <N>s ...           any prompt containing this works N seconds (dispatcher hook);
//                                a `fleet backlog complete --id X ...` line in it is run after
//   ask <question>               wait for a human (state waiting) until the next line
//   [fleet digest] …             with MOSAIC_STUB_FILE_DIGEST=1 (the demo's enhancer): file one
//                                improvement card naming the digest's first finding
//   [fleet replan] …             with MOSAIC_STUB_PLAN_QUEUE set (a JSON-lines file of
//                                {id, title, body}, relative to this script's folder unless
//                                absolute): file the next MOSAIC_STUB_PLAN_BATCH (3) cards of
//                                the queue with `fleet backlog create`, round after round
//   /clear, /new                 reset the conversation
//   hang | crash | busy          misbehave on demand
//   anything else                echoed back literally
//
// Switches (flag or env): --crash-on-start (MOSAIC_STUB_CRASH_ON_START=1), --crash-after S
// (MOSAIC_STUB_CRASH_AFTER), --hang (MOSAIC_STUB_HANG=1: no heartbeat, no reading),
// --slow-accept MS (MOSAIC_STUB_SLOW_ACCEPT: Enter takes effect MS later), --draft TEXT
// (MOSAIC_STUB_DRAFT: leaves TEXT in the input line), --busy (MOSAIC_STUB_BUSY=1),
// --contract-file PATH (MOSAIC_STUB_CONTRACT_FILE: the agent's contract, given by the launcher;
// the stub prints `[stub] contract <bytes> bytes sha256=<12 hex>` of it at start).
// Needing a human (docs/runtimes.md "Attention"):
//   --ask-permission (MOSAIC_STUB_ASK_PERMISSION=1): before working a task it prints
//     `[stub] permission needed: run \`make check\` for <id>` and
//     `Allow this command? (y = yes, n = no)` and waits (state waiting). The key `y` alone (no
//     Enter, input line empty) prints `[stub] approved` and works the task; `n` prints
//     `[stub] denied: not running it` and goes idle without it. Other keys edit the input line
//     as usual; a line entered meanwhile is queued and the question asked again. Once per task.
//   --rate-limit S (MOSAIC_STUB_RATE_LIMIT=S): the first task is kept, not worked: it prints
//     `[stub] Usage limit reached. Your limit will reset at <HH:MM:SS, now+S in UTC> (UTC)` and
//     stays idle, answering any other line with that again until the line `continue` arrives,
//     which works the kept task.
//   --auth-fail (MOSAIC_STUB_AUTH_FAIL=1): prints `Invalid API key · Please run /login` at
//     start and again for every line, working nothing, at an idle prompt.
// Repositories (the prompts fleetd types for a repo card and for its review card):
//   --commit (MOSAIC_STUB_COMMIT=1): a `[fleet task <id>] <title>` prompt with a
//     `Worktree: <path>` line is worked (`work: Ns`, or 0.2 s without one), then changed and
//     committed in that worktree before its completion line runs. Body directives (the lines
//     between the title and `Repository:`), one a line, any number:
//       edit: <relpath> = <text>             the whole file becomes <text> and a newline (`\n`
//                                            in <text> is a newline; parent folders made); with
//                                            none, fleet-<id>.txt gets the title line
//       edit-after-check: <relpath> = <text> the same, only when the card came back with
//                                            `Returned (check)`, which applies these alone
//                                            (how a test's check passes the second time)
//     A `Returned (conflict) by …` line first runs `git merge --no-edit -X ours <base>` (base
//     from `Repository: <name> (base <base>)`: the branch keeps its side); `Returned (changes)
//     by <who>: <comment>` appends `review: <comment's first line>` to every edited file. Then
//     `git add -A` and `git -c user.name=stub -c user.email=stub@fleet.invalid commit -m
//     "<id>: <title>"` (skipped when nothing changed), prints `[stub] committed <sha> …`, and
//     runs the completion line. Git runs by argv (never a shell) in the worktree; when a step
//     fails, the prompt's `fleet backlog fail … --reason` line runs instead, with git's error.
//   --review MODE (MOSAIC_STUB_REVIEW=approve|changes-once): a `[fleet task <id>]` prompt with
//     a line `Approve: fleet review approve <card>` is a review card. `approve` runs
//     `fleet review approve <card>`; `changes-once` runs `fleet review request-changes <card>
//     --comment "please add a review line"` when the first body line says `round 1`, approve
//     from round 2 on. Prints `[stub] review <card> round <n>: <verb> (exit <code>)`, then runs
//     the review card's own completion line (its fail line if the verdict was refused).
// Conversations (docs/runtimes.md "Resume"), kept like a real runtime keeps its sessions: one
// JSON-lines file per conversation in MOSAIC_STUB_SESSION_DIR (default
// <FLEET_HOME>/stub-sessions), a `session` line first, then one `user` line per message received.
//   --session-id ID   start a new conversation with that id (prints `[stub] conversation <ID>`)
//   --resume ID       reopen it: prints `[stub] resumed conversation <ID> (<n> messages; last:
//                     <first 60 chars of the last one>)` and appends to it; a conversation that
//                     is not there prints `[stub] No conversation found with session ID: <ID>`
//                     and exits 1, as Claude Code does
//   /clear, /new empty the conversation (a `cleared` line: a resume counts what came after it)
// Env: FLEET_HOME|MOSAIC_FLEET_HOME, MOSAIC_AGENT_NAME, MOSAIC_AGENT_EPOCH,
// MOSAIC_HEARTBEAT_INTERVAL (seconds), MOSAIC_HEARTBEAT_FILE, MOSAIC_STUB_LOG (JSON lines of
// every received message), MOSAIC_FLEET_BIN (the fleet CLI), MOSAIC_STUB_COMPLETE_CMD (JSON
// argv run instead of `fleet` for completion and fail lines).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;

function parseArgs(argv) {
  const o = {
    crashOnStart: env.MOSAIC_STUB_CRASH_ON_START === '1',
    crashAfter: Number(env.MOSAIC_STUB_CRASH_AFTER || 0),
    hang: env.MOSAIC_STUB_HANG === '1',
    slowAccept: Number(env.MOSAIC_STUB_SLOW_ACCEPT || 0),
    draft: env.MOSAIC_STUB_DRAFT || '',
    busy: env.MOSAIC_STUB_BUSY === '1',
    contractFile: env.MOSAIC_STUB_CONTRACT_FILE || '',
    askPermission: env.MOSAIC_STUB_ASK_PERMISSION === '1',
    rateLimit: Number(env.MOSAIC_STUB_RATE_LIMIT || 0),
    authFail: env.MOSAIC_STUB_AUTH_FAIL === '1',
    commit: env.MOSAIC_STUB_COMMIT === '1',
    review: env.MOSAIC_STUB_REVIEW || '',
    model: env.MOSAIC_AGENT_MODEL || '',
    channels: [],
    yolo: false,
    sessionId: '',
    resume: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i] ?? '';
    if (a === '--crash-on-start') o.crashOnStart = true;
    else if (a === '--crash-after') o.crashAfter = Number(next());
    else if (a === '--hang') o.hang = true;
    else if (a === '--slow-accept') o.slowAccept = Number(next());
    else if (a === '--draft') o.draft = next();
    else if (a === '--busy') o.busy = true;
    else if (a === '--contract-file') o.contractFile = next();
    else if (a === '--ask-permission') o.askPermission = true;
    else if (a === '--rate-limit') o.rateLimit = Number(next());
    else if (a === '--auth-fail') o.authFail = true;
    else if (a === '--commit') o.commit = true;
    else if (a === '--review') o.review = next();
    else if (a === '--model') o.model = next();
    else if (a === '--channels') o.channels.push(next());
    else if (a === '--yolo') o.yolo = true;
    else if (a === '--session-id') o.sessionId = next();
    else if (a === '--resume') o.resume = next();
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const REVIEW_MODES = ['approve', 'changes-once'];
const badReview = opts.review && !REVIEW_MODES.includes(opts.review) ? opts.review : '';
if (badReview) opts.review = '';
const name = env.MOSAIC_AGENT_NAME || 'stub';
const epoch = /^\d+$/.test(env.MOSAIC_AGENT_EPOCH || '') ? Number(env.MOSAIC_AGENT_EPOCH) : null;
const home = env.MOSAIC_FLEET_HOME || env.FLEET_HOME || '';
const hbFile = env.MOSAIC_HEARTBEAT_FILE || (home ? path.join(home, 'run', `${name}.hb`) : '');
const intervalMs = Math.max(100, Number(env.MOSAIC_HEARTBEAT_INTERVAL || 15) * 1000);
const tty = Boolean(process.stdin.isTTY);

// raw mode turns off output post-processing: every newline needs its carriage return
const out = (s) => process.stdout.write(tty ? s.replace(/\r?\n/g, '\r\n') : s);
const visible = (s) =>
  // eslint-disable-next-line no-control-regex -- showing control characters is the point
  s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `^${String.fromCharCode(c.charCodeAt(0) ^ 64)}`);

let state = opts.busy ? 'busy' : 'idle';
let buffer = opts.draft;
let drawnRows = 0;
let hung = false;
let hbTimer = null;
const queue = [];
let working = false;
let taskCounter = 0;
/** a task waiting for the human's y/n (--ask-permission) */
let pending = null;
/** the task kept while the usage limit holds (--rate-limit), and when it resets */
let limited = null;
let limitUsed = false;

// ---- heartbeat v1 ---------------------------------------------------------------------------
function writeHeartbeat() {
  if (!hbFile || hung) return;
  const words = [`ts=${new Date().toISOString()}`, `pid=${process.pid}`, `status=${state}`];
  if (epoch !== null) words.push(`epoch=${epoch}`);
  words.push('src=self');
  try {
    mkdirSync(path.dirname(hbFile), { recursive: true });
    const tmp = `${hbFile}.${process.pid}.tmp`;
    writeFileSync(tmp, words.join(' ') + '\n');
    renameSync(tmp, hbFile);
  } catch (e) {
    out(`\n[stub] heartbeat write failed: ${e.message}\n`);
  }
}

function setState(s) {
  state = s;
  writeHeartbeat();
  redraw();
}

// ---- input line -----------------------------------------------------------------------------
const prompt = () => (state === 'idle' ? 'stub> ' : `stub[${state}]> `);
const cols = () => process.stdout.columns || 80;

function rowsFor(len) {
  return Math.max(1, Math.ceil(len / cols()));
}

function clearInput() {
  if (!tty || drawnRows === 0) return;
  let s = '\r';
  for (let i = 1; i < drawnRows; i++) s += '\x1b[A';
  process.stdout.write(s + '\x1b[J');
  drawnRows = 0;
}

function redraw() {
  if (!tty) return;
  clearInput();
  const text = prompt() + visible(buffer).replace(/\n/g, ' ');
  process.stdout.write(text);
  drawnRows = rowsFor(text.length);
}

/** Print a line above the input line, then draw the input again. */
function say(line) {
  clearInput();
  out(line + '\n');
  redraw();
}

// ---- messages -------------------------------------------------------------------------------
function logReceived(text) {
  if (!env.MOSAIC_STUB_LOG) return;
  try {
    appendFileSync(
      env.MOSAIC_STUB_LOG,
      JSON.stringify({ ts: new Date().toISOString(), epoch, text }) + '\n',
    );
  } catch (e) {
    say(`[stub] log write failed: ${e.message}`);
  }
}

// ---- conversations --------------------------------------------------------------------------
const sessionDir = env.MOSAIC_STUB_SESSION_DIR || (home ? path.join(home, 'stub-sessions') : '');
const SESSION_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
let conversation = '';
const sessionFile = (id) => path.join(sessionDir, `${id}.jsonl`);

function sessionAppend(rec) {
  if (!conversation || !sessionDir) return;
  try {
    appendFileSync(sessionFile(conversation), JSON.stringify(rec) + '\n', { mode: 0o600 });
  } catch (e) {
    say(`[stub] session write failed: ${e.message}`);
  }
}

function newConversation(id) {
  if (!sessionDir || !SESSION_ID_RE.test(id)) return;
  conversation = id;
  mkdirSync(sessionDir, { recursive: true, mode: 0o700 });
  sessionAppend({ type: 'session', id, cwd: process.cwd(), at: new Date().toISOString() });
}

/** Reopen a conversation: the number of messages it holds and the last one, or null. */
function reopenConversation(id) {
  if (!sessionDir || !SESSION_ID_RE.test(id) || !existsSync(sessionFile(id))) return null;
  const recs = readFileSync(sessionFile(id), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .filter(Boolean);
  const cleared = recs.map((r) => r.type).lastIndexOf('cleared');
  const users = recs.slice(cleared + 1).filter((r) => r.type === 'user');
  conversation = id;
  sessionAppend({ type: 'resumed', epoch, at: new Date().toISOString() });
  return { count: users.length, last: users.length ? String(users.at(-1).text) : '' };
}

function echo(text) {
  const sha = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const shown = text.length > 2000 ? `${text.slice(0, 200)} … ${text.slice(-200)}` : text;
  say(`[stub] received ${text.length} chars sha256=${sha}: ${visible(shown)}`);
}

/** The words of a prompt's `fleet backlog <verb> …` line, when they are all plain. */
function reportWords(text, verb) {
  const m = new RegExp(`(?:^|\\n)\\s*fleet\\s+(backlog\\s+${verb}\\b[^\\n]*)`).exec(text);
  if (!m) return null;
  const words = m[1].trim().split(/\s+/);
  if (!words.every((w) => /^[\w.:@/=+,#-]+$/.test(w))) return null;
  return words;
}

function reportArgv(words) {
  if (env.MOSAIC_STUB_COMPLETE_CMD) return [...JSON.parse(env.MOSAIC_STUB_COMPLETE_CMD), ...words];
  if (env.MOSAIC_FLEET_BIN) return [process.execPath, env.MOSAIC_FLEET_BIN, ...words];
  return ['fleet', ...words];
}

function completionArgv(text) {
  const words = reportWords(text, 'complete');
  return words ? reportArgv(words) : null;
}

/** The prompt's `fleet backlog fail … --reason "<why>"` line, with this reason. */
function failArgv(text, reason) {
  const m = /(?:^|\n)\s*fleet\s+backlog\s+fail\b[^\n]*/.exec(text);
  if (!m) return null;
  const words = reportWords(m[0].replace(/\s--reason\b.*$/, ''), 'fail');
  return words ? reportArgv([...words, '--reason', reason]) : null;
}

function runCompletion(argv, what = 'completion') {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      const detail = (stderr || stdout || '').trim().split('\n')[0] || '';
      say(`[stub] ${what} command exited ${code}${detail ? `: ${detail}` : ''}`);
      resolve(code);
    });
  });
}

// ---- repositories (--commit, --review) ------------------------------------------------------
const TASK_RE = /\[fleet task ([^\]\s]+)\][ \t]*([^\n]*)/;
const oneLine = (s) => s.replace(/\s+/g, ' ').trim().slice(0, 300);

/** --commit: what a repo card's prompt asks, or null when it is not one. */
function repoTask(text) {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => TASK_RE.test(l));
  const wt = lines.findIndex((l) => /^\s*Worktree:\s*\S/.test(l));
  if (head < 0 || wt < 0) return null;
  const [titleLine, id, title] = TASK_RE.exec(lines[head]);
  const repoAt = lines.findIndex((l, i) => i > head && /^\s*Repository:\s/.test(l));
  const body = lines.slice(head + 1, repoAt > head ? repoAt : wt > head ? wt : lines.length);
  const directives = (word) =>
    body
      .map((l) => new RegExp(`^\\s*${word}:\\s*([^\\s=]+)\\s*=\\s*(.*?)\\s*$`).exec(l))
      .filter(Boolean)
      .map((m) => ({ rel: m[1], text: m[2].replace(/\\n/g, '\n') }));
  const ret = lines.findIndex((l) => /^\s*Returned \((\w+)\) by .+?: /.test(l));
  let returned = null;
  if (ret >= 0) {
    const m = /^\s*Returned \((\w+)\) by .+?: (.*)$/.exec(lines[ret]);
    const first = m[2].trim() || (lines.slice(ret + 1).find((l) => l.trim()) ?? '').trim();
    returned = { kind: m[1], comment: first };
  }
  return {
    id,
    title: title.trim(),
    titleLine: titleLine.trim(),
    worktree: lines[wt].replace(/^\s*Worktree:\s*/, '').trim(),
    base: /\(base\s+([^)\s]+)\)/.exec(repoAt >= 0 ? lines[repoAt] : '')?.[1] ?? null,
    edits: directives('edit'),
    afterCheck: directives('edit-after-check'),
    returned,
  };
}

function git(cwd, args) {
  // the worktree is found from cwd alone, never from an inherited repository
  const gitEnv = Object.fromEntries(
    Object.entries(env).filter(
      ([k]) => !['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR'].includes(k),
    ),
  );
  const argv = [
    '-c',
    'user.name=stub',
    '-c',
    'user.email=stub@fleet.invalid',
    '-c',
    'commit.gpgsign=false',
    ...args,
  ];
  return new Promise((resolve) => {
    execFile('git', argv, { cwd, env: gitEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      const said = `${stderr}\n${stdout}`.split('\n').filter((l) => l.trim());
      const error =
        said.find((l) => /^(fatal|error):/.test(l)) ??
        said.find((l) => /^CONFLICT\b/.test(l)) ??
        said[0] ??
        (err ? err.message : '');
      resolve({ code, stdout: String(stdout), error: oneLine(`git ${args[0]}: ${error}`) });
    });
  });
}

/** Change and commit what the card asks in its worktree; the reason when a step fails. */
async function commitCard(t) {
  const wt = t.worktree;
  if (!path.isAbsolute(wt) || !existsSync(wt) || !statSync(wt).isDirectory())
    return { reason: `no worktree at ${wt}` };
  const kind = t.returned?.kind ?? null;
  if (kind === 'conflict') {
    if (!t.base) return { reason: 'no base branch in the Repository line to merge' };
    const r = await git(wt, ['merge', '--no-edit', '-X', 'ours', t.base]);
    if (r.code !== 0) {
      await git(wt, ['merge', '--abort']);
      return { reason: r.error };
    }
    say(`[stub] merged ${t.base} into ${t.id}'s branch (-X ours)`);
  }
  // a check return only applies its own fix; every other round (re)writes the edits
  const edits = t.edits.length ? t.edits : [{ rel: `fleet-${t.id}.txt`, text: t.titleLine }];
  const files = new Map(
    kind === 'check'
      ? t.afterCheck.map((e) => [e.rel, e.text])
      : edits.map((e) => [
          e.rel,
          kind === 'changes' ? `${e.text}\nreview: ${t.returned.comment}` : e.text,
        ]),
  );
  for (const [rel, text] of files) {
    const file = path.resolve(wt, rel);
    const inside = path.relative(wt, file);
    if (
      !inside ||
      inside.startsWith('..') ||
      path.isAbsolute(inside) ||
      /^\.git(\/|$)/.test(inside)
    )
      return { reason: `refusing to edit ${rel}: outside the worktree` };
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${text}\n`);
    } catch (e) {
      return { reason: oneLine(`cannot write ${rel}: ${e.message}`) };
    }
  }
  let r = await git(wt, ['add', '-A']);
  if (r.code !== 0) return { reason: r.error };
  r = await git(wt, ['diff', '--cached', '--quiet']);
  if (r.code === 0) {
    say(`[stub] nothing to commit for ${t.id}`);
    return {};
  }
  if (r.code !== 1) return { reason: r.error };
  r = await git(wt, ['commit', '-m', `${t.id}: ${t.title}`]);
  if (r.code !== 0) return { reason: r.error };
  r = await git(wt, ['rev-parse', '--short', 'HEAD']);
  say(`[stub] committed ${r.stdout.trim()} for ${t.id}: ${[...files.keys()].join(', ')}`);
  return {};
}

/** --review: a review card's verdict, by the mode, then the review card reported. */
async function review(text, card) {
  working = true;
  setState('busy');
  const id = TASK_RE.exec(text)?.[1] ?? '?';
  const lines = text.split('\n');
  const head = lines.findIndex((l) => TASK_RE.test(l));
  const firstBody = lines.slice(head + 1).find((l) => l.trim()) ?? '';
  const round = Number(
    /\bround (\d+)\b/.exec(firstBody)?.[1] ?? /\bround (\d+)\b/.exec(text)?.[1] ?? 1,
  );
  const changes = opts.review === 'changes-once' && round <= 1;
  const args = changes
    ? ['review', 'request-changes', card, '--comment', 'please add a review line']
    : ['review', 'approve', card];
  const r = await fleetCli(args);
  say(
    `[stub] review ${card} round ${round}: ${args[1]} (exit ${r.code})${r.code && r.stderr.trim() ? `: ${visible(r.stderr.trim().split('\n')[0])}` : ''}`,
  );
  const argv =
    r.code === 0
      ? completionArgv(text)
      : failArgv(text, oneLine(`fleet review ${args[1]} ${card} exited ${r.code}: ${r.stderr}`));
  if (argv) await runCompletion(argv, r.code === 0 ? 'completion' : 'fail');
  else say(`[stub] done ${id}`);
  working = false;
  if (!opts.busy) setState('idle');
  drain();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function work(id, seconds, text) {
  working = true;
  setState('busy');
  const steps = Math.max(1, Math.ceil(seconds));
  for (let i = 1; i <= steps; i++) {
    say(`[stub] working on ${id} (${i}/${steps})`);
    await sleep((seconds * 1000) / steps);
  }
  const repo = opts.commit && text ? repoTask(text) : null;
  const failed = repo ? (await commitCard(repo)).reason : undefined;
  if (failed) {
    say(`[stub] git failed for ${id}: ${visible(failed)}`);
    const argv = failArgv(text, failed);
    if (argv) await runCompletion(argv, 'fail');
  } else {
    say(`[stub] done ${id}`);
    const argv = text ? completionArgv(text) : null;
    if (argv) await runCompletion(argv);
  }
  working = false;
  if (!opts.busy) setState('idle');
  drain();
}

/** The demo's orchestrator: answer a replan request with the next cards of a shipped queue. */
function planQueue() {
  const file = env.MOSAIC_STUB_PLAN_QUEUE;
  if (!file) return null;
  const p = path.isAbsolute(file)
    ? file
    : path.join(path.dirname(fileURLToPath(import.meta.url)), file);
  try {
    return readFileSync(p, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  } catch (e) {
    say(`[stub] cannot read the plan queue ${p}: ${e.message}`);
    return null;
  }
}

function fleetCli(args) {
  const argv = env.MOSAIC_FLEET_BIN
    ? [process.execPath, env.MOSAIC_FLEET_BIN, ...args]
    : ['fleet', ...args];
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      }),
    );
  });
}

async function replan(queue) {
  working = true;
  setState('busy');
  const batch = Number(env.MOSAIC_STUB_PLAN_BATCH || 3);
  let filed = 0;
  // idempotent creates: an item already filed answers created=false, and the next round of the
  // queue gets fresh ids, so the demo never runs dry
  for (let round = 1; filed < batch && round < 1000; round++) {
    for (const item of queue) {
      if (filed >= batch) break;
      const id = round === 1 ? item.id : `${item.id}-r${round}`;
      const r = await fleetCli([
        'backlog',
        'create',
        '--id',
        id,
        '--title',
        item.title,
        '--body',
        item.body ?? '',
        '--idempotency-key',
        `stub-plan:${id}`,
        '--json',
      ]);
      if (r.code !== 0) {
        say(`[stub] could not file ${id} (exit ${r.code})`);
        round = 1000;
        break;
      }
      if (/"created":\s*true/.test(r.stdout)) {
        filed++;
        say(`[stub] filed ${id}`);
      }
    }
  }
  say(`[stub] planned ${filed} card(s)`);
  working = false;
  if (!opts.busy) setState('idle');
  drain();
}

/** The demo's enhancer: one improvement card per digest, about its first finding. */
async function improve(digest) {
  working = true;
  setState('busy');
  const finding = (digest.split('\n').find((l) => l.startsWith('- ')) ?? '- the fleet').slice(2);
  const key = createHash('sha256').update(digest).digest('hex').slice(0, 16);
  const r = await fleetCli([
    'backlog',
    'create',
    '--title',
    `Improve: ${finding}`.slice(0, 200),
    '--body',
    // "work: Ns" is what the stub workers work on (see the top of this file)
    `Seen in a fleet digest: ${finding}. Find the cause and fix it. work: 2s`,
    '--idempotency-key',
    `stub-improve:${key}`,
    '--json',
  ]);
  say(
    r.code === 0
      ? `[stub] filed an improvement card: ${finding}`
      : `[stub] could not file a card (exit ${r.code})`,
  );
  working = false;
  if (!opts.busy) setState('idle');
  drain();
}

/** `$ fleet <words>`: the words go to the fleet CLI as argv; quotes group words, nothing else. */
async function runFleetLine(command) {
  working = true;
  setState('busy');
  const words = [...command.replace(/^fleet\s+/, '').matchAll(/"([^"]*)"|(\S+)/g)].map(
    (m) => m[1] ?? m[2],
  );
  const r = await fleetCli(words);
  say(
    `[stub] fleet ${words[0] ?? ''} exited ${r.code}${r.stdout.trim() ? `: ${visible(r.stdout.trim().split('\n')[0])}` : ''}`,
  );
  working = false;
  if (!opts.busy) setState('idle');
  drain();
}

/** Answer a peer: `fleet agent send <peer> --verify --source <me> "answer: …"`. */
async function answer(peer, question) {
  const me = env.MOSAIC_AGENT_NAME || 'stub';
  await runFleetLine(
    `fleet agent send ${peer} --verify --source ${me} "answer: ${question.replace(/"/g, "'")} is understood by ${me}"`,
  );
}

// ---- needing a human (docs/runtimes.md "Attention") ---------------------------------------
const AUTH_LINE = 'Invalid API key · Please run /login';
const ASK_LINE = 'Allow this command? (y = yes, n = no)';

function sayLimit() {
  const at = new Date(limited.resetAt).toISOString().slice(11, 19);
  say(`[stub] Usage limit reached. Your limit will reset at ${at} (UTC)`);
}

/** A task arrives: held back by the first usage limit, or asked about, or worked. */
function startTask(task) {
  if (opts.rateLimit > 0 && !limitUsed) {
    limitUsed = true;
    limited = { task, resetAt: Date.now() + opts.rateLimit * 1000 };
    sayLimit();
    if (!opts.busy) setState('idle');
    return;
  }
  if (opts.askPermission && !task.asked) {
    pending = { ...task, asked: true };
    say(`[stub] permission needed: run \`make check\` for ${task.id}`);
    say(ASK_LINE);
    setState('waiting');
    return;
  }
  void work(task.id, task.seconds, task.text);
}

function decide(yes) {
  const task = pending;
  pending = null;
  if (yes) {
    say('[stub] approved');
    return startTask(task);
  }
  say('[stub] denied: not running it');
  if (!opts.busy) setState('idle');
  drain();
}

function handle(text) {
  logReceived(text);
  sessionAppend({ type: 'user', text, at: new Date().toISOString() });
  echo(text);
  // a resume may come labelled by `fleet agent send` (`[from host:operator] continue`)
  const bare = text.replace(/^\s*\[from [^\]\n]*\]\s*/, '').trim();
  const control = ['hang', 'crash', '/clear', '/new'].includes(bare);
  if (opts.authFail && !control) return say(AUTH_LINE);
  if (limited && !control) {
    if (bare !== 'continue') return sayLimit();
    const { task } = limited;
    limited = null;
    say('[stub] continuing');
    return startTask(task);
  }
  if (/\[fleet digest\]/.test(text) && env.MOSAIC_STUB_FILE_DIGEST === '1')
    return void improve(text);
  if (/\[fleet replan\]/.test(text)) {
    const queue = planQueue();
    if (queue) return void replan(queue);
  }
  const reviewOf = /^\s*Approve: fleet review approve (\S+)\s*$/m.exec(text)?.[1];
  if (opts.review && reviewOf && TASK_RE.test(text)) return void review(text, reviewOf);
  // `fleet agent send` labels messages with who speaks: `[from host:operator] …`
  const line = text.replace(/^\s*\[from [^\]\n]*\]\s*/, '').trim();
  const from = /^\s*\[from ([^\]\n]*)\]/.exec(text)?.[1] ?? null;
  // what a model does with its tools, stood in for: run one `fleet` command, never a shell
  if (/^\$ fleet\s/.test(line)) return void runFleetLine(line.slice(2));
  // a peer's question is answered to the sender, as the contract's messaging rules say
  const q = /^question:\s*(.+)$/i.exec(line);
  if (q && from && /^[a-z][a-z0-9_-]*$/.test(from)) return void answer(from, q[1]);
  if (state === 'waiting') {
    say('[stub] thanks, back to work');
    setState('idle');
    return;
  }
  if (line === '/clear' || line === '/new') {
    if (tty) process.stdout.write('\x1b[2J\x1b[H');
    drawnRows = 0;
    say(`[stub] conversation cleared (${line})`);
    sessionAppend({ type: 'cleared', at: new Date().toISOString() });
    return;
  }
  let m = /^task\s+(\S+)\s+(\d+(?:\.\d+)?)\s*$/.exec(line);
  if (m) return startTask({ id: m[1], seconds: Number(m[2]), text });
  m = /\bwork:\s*(\d+(?:\.\d+)?)s\b/i.exec(text);
  // --commit: a repo card is worked even without a `work:` directive
  const repoCard = opts.commit && TASK_RE.test(text) && /^\s*Worktree:\s*\S/m.test(text);
  if (m || repoCard) {
    const id = /--id\s+(\S+)/.exec(text)?.[1] ?? TASK_RE.exec(text)?.[1] ?? `t${++taskCounter}`;
    return startTask({ id, seconds: m ? Number(m[1]) : 0.2, text });
  }
  if (/^ask\b/.test(line)) {
    say(`[stub] waiting for human: ${visible(line.slice(3).trim() || 'a question')}`);
    setState('waiting');
    return;
  }
  if (line === 'hang') return hang();
  if (line === 'crash') {
    say('[stub] crashing on request');
    process.exit(3);
  }
  if (line === 'busy') {
    opts.busy = true;
    setState('busy');
    return;
  }
  say('[stub] ok');
}

function drain() {
  while (!working && !pending && !opts.busy && queue.length) handle(queue.shift());
}

function submit(text) {
  if (pending) {
    // the decision is a key, not a line: keep the line for later and ask again
    queue.push(text);
    say(`[stub] queued while waiting for permission (${queue.length} waiting)`);
    say(ASK_LINE);
    return;
  }
  if (working || opts.busy) {
    queue.push(text);
    say(`[stub] queued while busy (${queue.length} waiting)`);
    return;
  }
  handle(text);
}

function hang() {
  hung = true;
  if (hbTimer) clearInterval(hbTimer);
  // raw mode: keys typed at a hung agent are not even echoed by the terminal
  if (tty) process.stdin.setRawMode(true);
  process.stdin.removeAllListeners('data');
  process.stdin.pause();
  say('[stub] hanging (no heartbeat, no input)');
  setInterval(() => {}, 1 << 30);
}

// ---- raw keyboard ---------------------------------------------------------------------------
let pasting = false;
let esc = '';

function enter() {
  const text = buffer;
  const accept = () => {
    buffer = buffer.slice(text.length);
    clearInput();
    out(prompt() + visible(text).replace(/\n/g, ' ') + '\n');
    drawnRows = 0;
    redraw();
    submit(text);
  };
  if (opts.slowAccept > 0) setTimeout(accept, opts.slowAccept);
  else accept();
}

function key(ch) {
  if (pasting) {
    buffer += ch === '\r' ? '\n' : ch;
    return;
  }
  // --ask-permission: a bare y or n, nothing typed before it, answers the question
  if (pending && buffer === '' && /^[yYnN]$/.test(ch)) return decide(ch.toLowerCase() === 'y');
  if (ch === '\r' || ch === '\n') return enter();
  if (ch === '\x7f' || ch === '\b') {
    buffer = buffer.slice(0, -1);
    return redraw();
  }
  if (ch === '\x15') {
    // Ctrl-U: drop the input line
    buffer = '';
    return redraw();
  }
  if (ch === '\x03') {
    // Ctrl-C: drop the input line and say so, like an interactive agent does
    buffer = '';
    out('^C\n');
    drawnRows = 0;
    return redraw();
  }
  if (ch < ' ') return; // other control keys do nothing
  buffer += ch;
  if (tty) {
    process.stdout.write(ch);
    drawnRows = rowsFor(prompt().length + buffer.length);
  }
}

function onData(chunk) {
  for (const ch of chunk) {
    if (esc || ch === '\x1b') {
      esc += ch;
      if (esc === '\x1b[200~') {
        pasting = true;
        esc = '';
      } else if (esc === '\x1b[201~') {
        pasting = false;
        esc = '';
        redraw();
      } else if (esc.length > 1 && /[A-Za-z~]$/.test(esc))
        esc = ''; // arrows etc.: ignored
      else if (esc.length > 8) esc = '';
      continue;
    }
    key(ch);
  }
  if (pasting) redraw();
}

// ---- start ----------------------------------------------------------------------------------
if (opts.crashOnStart) {
  out('[stub] crashing on start (--crash-on-start)\n');
  // give tmux a moment to read the line before the pty closes
  setTimeout(() => process.exit(2), 300);
  await new Promise(() => {});
}

out(
  `Mosaic stub agent "${name}"` +
    (epoch !== null ? ` epoch ${epoch}` : '') +
    (opts.model ? ` model ${opts.model}` : '') +
    (opts.channels.length ? ` channels ${opts.channels.join(',')}` : '') +
    (opts.yolo ? ' yolo' : '') +
    '\n',
);
if (opts.resume) {
  const r = reopenConversation(opts.resume);
  if (!r) {
    out(`[stub] No conversation found with session ID: ${visible(opts.resume)}\n`);
    setTimeout(() => process.exit(1), 300);
    await new Promise(() => {});
  }
  const last = r.last.replace(/\s+/g, ' ').slice(0, 60);
  out(
    `[stub] resumed conversation ${opts.resume} (${r.count} messages${r.count ? `; last: ${visible(last)}` : ''})\n`,
  );
} else if (opts.sessionId) {
  newConversation(opts.sessionId);
  if (conversation) out(`[stub] conversation ${conversation}\n`);
}
if (opts.busy) out('[stub] busy forever (--busy)\n');
if (opts.contractFile) {
  try {
    const bytes = readFileSync(opts.contractFile);
    const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    out(`[stub] contract ${bytes.length} bytes sha256=${sha}\n`);
  } catch (e) {
    out(`[stub] cannot read the contract ${opts.contractFile}: ${e.message}\n`);
  }
}

if (opts.authFail) out(`${AUTH_LINE}\n`);
if (badReview)
  out(`[stub] unknown review mode ${badReview} (approve|changes-once): not reviewing\n`);

if (opts.crashAfter > 0) {
  setTimeout(() => {
    say(`[stub] crashing after ${opts.crashAfter}s (--crash-after)`);
    process.exit(2);
  }, opts.crashAfter * 1000);
}

for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(0));

writeHeartbeat();
hbTimer = setInterval(writeHeartbeat, intervalMs);

if (opts.hang) {
  hang();
} else if (tty) {
  process.stdin.setRawMode(true);
  process.stdin.setEncoding('utf8');
  process.stdout.write('\x1b[?2004h'); // ask for bracketed paste: pasted newlines stay text
  process.stdin.on('data', onData);
  redraw();
} else {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (l) =>
    pending && /^[yYnN]$/.test(l.trim()) ? decide(/^y$/i.test(l.trim())) : submit(l),
  );
  rl.on('close', () => process.exit(0));
  out(prompt() + '\n');
}
