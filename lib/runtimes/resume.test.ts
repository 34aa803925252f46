import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeWiring } from '../launch/contract.js';
import { findSessionFile } from '../launch/session-file.js';
import { aider } from './aider.js';
import { claude, claudeProjectSlug } from './claude.js';
import { codex } from './codex.js';
import { gemini } from './gemini.js';
import { opencode } from './opencode.js';
import { pi } from './pi.js';
import type { NativeWiring, RuntimeAdapter, SessionPlace } from './types.js';

const ID = '13c19263-7392-4718-8c65-ebbf1c78ccbb';
const THREAD = '01a23a19-d0ab-7063-923b-41c626256341';

/** The runtime's argv as the launcher orders it (lib/launch/spec.ts): first, before, own, after. */
function argv(a: RuntimeAdapter, w: NativeWiring): string[] {
  const own = a.args({ model: 'm1', yolo: true, channels: [] });
  return [a.bin, ...(w.argsFirst ?? []), ...(w.argsBefore ?? []), ...own, ...(w.argsAfter ?? [])];
}

describe('resume argv', () => {
  it('claude starts on the chosen id and reopens it by that id', () => {
    const r = claude.resume!;
    expect(r.id).toBe('assigned');
    expect(argv(claude, r.start!(ID))).toEqual([
      'claude',
      '--model',
      'm1',
      '--dangerously-skip-permissions',
      '--session-id',
      ID,
    ]);
    expect(argv(claude, r.resume(ID))).toEqual([
      'claude',
      '--model',
      'm1',
      '--dangerously-skip-permissions',
      '--resume',
      ID,
    ]);
  });

  it('codex: `resume <id>` right after the program, its -c overrides and flags after it', () => {
    const r = codex.resume!;
    expect(r.id).toBe('reported');
    expect(r.start).toBeUndefined();
    const notify = codex.native!.wire({
      hookArgv: ['/n', '/f.mjs', 'hook', 'codex'],
      name: 'a1',
      runFile: (s) => `/fh/run/a1.${s}`,
    });
    expect(argv(codex, mergeWiring(r.resume(THREAD), notify))).toEqual([
      'codex',
      'resume',
      THREAD,
      '-c',
      'notify=["/n","/f.mjs","hook","codex"]',
      '--model',
      'm1',
      '--dangerously-bypass-approvals-and-sandbox',
    ]);
  });

  it('pi, opencode and aider reopen their latest conversation', () => {
    for (const [a, flag] of [
      [pi, '--continue'],
      [opencode, '--continue'],
      [aider, '--restore-chat-history'],
    ] as const) {
      expect(a.resume!.id).toBe('latest');
      expect(a.resume!.start).toBeUndefined();
      expect(a.resume!.resume(null)).toEqual({ argsAfter: [flag] });
    }
  });

  it('gemini is not resumed: its session file exists before it holds anything to resume', () => {
    expect(gemini.resume).toBeUndefined();
  });
});

describe('hook payload → sessionId', () => {
  const hook = claude.native!.hook;
  const payload = (o: Record<string, unknown>) =>
    JSON.stringify({
      session_id: ID,
      transcript_path: `/h/.claude/projects/-w/${ID}.jsonl`,
      cwd: '/w',
      ...o,
    });

  it('claude: session_id of every event', () => {
    // as Claude Code 2.1.197 wrote them on the hook's stdin
    expect(
      hook.read('SessionStart', payload({ hook_event_name: 'SessionStart', source: 'startup' })),
    ).toEqual({ status: 'idle', event: 'SessionStart', sessionId: ID });
    expect(
      hook.read('UserPromptSubmit', payload({ hook_event_name: 'UserPromptSubmit', prompt: 'x' })),
    ).toMatchObject({ status: 'busy', sessionId: ID });
    expect(
      hook.read(
        'Notification',
        payload({ message: 'Logged in', notification_type: 'auth_success' }),
      ),
    ).toEqual({
      status: null,
      event: 'Notification',
      note: 'auth_success: Logged in',
      sessionId: ID,
    });
    // `/clear` starts a new conversation: a SessionStart with the new id
    const cleared = '3f0e9d2a-4b1c-4e8f-9a7b-2c6d5e4f3a1b';
    expect(
      hook.read(
        'SessionStart',
        JSON.stringify({ session_id: cleared, hook_event_name: 'SessionStart', source: 'clear' }),
      ).sessionId,
    ).toBe(cleared);
  });

  it('claude: no id when the payload has none or is not JSON', () => {
    expect(hook.read('Stop', '').sessionId).toBeUndefined();
    expect(hook.read('Stop', 'not json').sessionId).toBeUndefined();
    expect(hook.read('Stop', JSON.stringify({ session_id: 42 })).sessionId).toBeUndefined();
    expect(hook.read('Stop', JSON.stringify({ session_id: '  ' })).sessionId).toBeUndefined();
  });

  it('codex: thread-id of the notify payload', () => {
    const read = codex.native!.hook.read;
    // as codex 0.171.0 passed it to its notify program
    const turn = JSON.stringify({
      type: 'agent-turn-complete',
      'thread-id': THREAD,
      'turn-id': '01a23a19-eb27-7900-8d2d-ac5f72cf1104',
      cwd: '/w',
      client: 'codex-tui',
      'input-messages': ['first message'],
      'last-assistant-message': 'stub reply',
    });
    expect(read(turn, '')).toEqual({
      status: 'idle',
      event: 'agent-turn-complete',
      sessionId: THREAD,
    });
    expect(read('{"type":"agent-turn-complete"}', '')).toEqual({
      status: 'idle',
      event: 'agent-turn-complete',
    });
    expect(read(undefined, '')).toEqual({ status: null, event: 'notify' });
  });
});

describe('session files', () => {
  let tmp = '';
  afterEach(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  const touch = (...parts: string[]) => {
    const f = path.join(...parts);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, '{}\n');
    return f;
  };
  const found = (a: RuntimeAdapter, id: string | null, place: SessionPlace) => {
    const q = a.resume!.sessionFile!(id, place);
    return q && findSessionFile(q);
  };

  it('claude: <config>/projects/<slug of cwd>/<id>.jsonl, CLAUDE_CONFIG_DIR moves it', () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'mf-resume-'));
    const place = { home: tmp, cwd: '/srv/my_app.v2', env: {} };
    expect(found(claude, ID, place)).toBeNull();
    const f = touch(tmp, '.claude', 'projects', '-srv-my-app-v2', `${ID}.jsonl`);
    expect(found(claude, ID, place)).toBe(f);
    expect(found(claude, 'ffffffff-7392-4718-8c65-ebbf1c78ccbb', place)).toBeNull();
    expect(found(claude, null, place)).toBeNull();
    const moved = { ...place, env: { CLAUDE_CONFIG_DIR: path.join(tmp, 'cfg') } };
    expect(found(claude, ID, moved)).toBeNull();
    const g = touch(tmp, 'cfg', 'projects', '-srv-my-app-v2', `${ID}.jsonl`);
    expect(found(claude, ID, moved)).toBe(g);
  });

  it('claude: a long path is cut at 200 characters and a hash of the whole added', () => {
    expect(claudeProjectSlug('/tmp/rx/proj')).toBe('-tmp-rx-proj');
    const long = '/' + 'a'.repeat(250);
    const slug = claudeProjectSlug(long);
    expect(slug.startsWith('-' + 'a'.repeat(199) + '-')).toBe(true);
    expect(slug).toMatch(/^-a{199}-[0-9a-z]+$/);
    expect(claudeProjectSlug(long + 'b')).not.toBe(slug);
  });

  it('codex: a rollout named for the thread, anywhere under sessions/YYYY/MM/DD', () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'mf-resume-'));
    const place = { home: tmp, cwd: '/w', env: {} };
    expect(found(codex, THREAD, place)).toBeNull();
    const f = touch(
      tmp,
      '.codex',
      'sessions',
      '2026',
      '12',
      '03',
      `rollout-2026-12-03T04-11-40-${THREAD}.jsonl`,
    );
    expect(found(codex, THREAD, place)).toBe(f);
    // another thread's rollout, or the id as a mere prefix, is not it
    expect(found(codex, '01a23a19-d0ab-7063-923b-41c62625634', place)).toBeNull();
    expect(found(codex, null, place)).toBeNull();
    const moved = { ...place, env: { CODEX_HOME: path.join(tmp, 'ch') } };
    expect(found(codex, THREAD, moved)).toBeNull();
    touch(tmp, 'ch', 'sessions', '2026', '12', '04', `rollout-2026-12-04T00-00-00-${THREAD}.jsonl`);
    expect(found(codex, THREAD, moved)).not.toBeNull();
  });

  it('pi: any session in the directory it files this cwd under, or its variables', () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'mf-resume-'));
    const place = { home: tmp, cwd: '/srv/app', env: {} };
    expect(found(pi, null, place)).toBeNull();
    const f = touch(tmp, '.pi', 'agent', 'sessions', '--srv-app--', '2026-12-03_x.jsonl');
    expect(found(pi, null, place)).toBe(f);
    expect(found(pi, null, { ...place, cwd: '/srv/other' })).toBeNull();
    const agentDir = { ...place, env: { PI_CODING_AGENT_DIR: '~/pa' } };
    expect(found(pi, null, agentDir)).toBeNull();
    touch(tmp, 'pa', 'sessions', '--srv-app--', 's.jsonl');
    expect(found(pi, null, agentDir)).not.toBeNull();
    const flat = { ...place, env: { PI_CODING_AGENT_SESSION_DIR: path.join(tmp, 'flat') } };
    expect(found(pi, null, flat)).toBeNull();
    touch(tmp, 'flat', 's.jsonl');
    expect(found(pi, null, flat)).not.toBeNull();
  });

  it('aider: the chat history in the working directory, or where its variable says', () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'mf-resume-'));
    const place = { home: '/nowhere', cwd: tmp, env: {} };
    expect(found(aider, null, place)).toBeNull();
    const f = touch(tmp, '.aider.chat.history.md');
    expect(found(aider, null, place)).toBe(f);
    const moved = { ...place, env: { AIDER_CHAT_HISTORY_FILE: 'notes/chat.md' } };
    expect(found(aider, null, moved)).toBeNull();
    touch(tmp, 'notes', 'chat.md');
    expect(found(aider, null, moved)).toBe(path.join(tmp, 'notes', 'chat.md'));
  });

  it('opencode keeps its sessions in a database: nothing to look for', () => {
    expect(opencode.resume!.sessionFile).toBeUndefined();
  });
});
