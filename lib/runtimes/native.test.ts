import { describe, expect, it } from 'vitest';
import { claude, claudeHookStatus } from './claude.js';
import { codex, codexNotifyStatus } from './codex.js';
import { parsePayload } from '../heartbeat/hooks.js';

const ctx = {
  hookArgv: ['/opt/node/bin/node', "/app's/fleet.mjs", 'hook', 'x'],
  name: 'a1',
  runFile: (suffix: string) => `/fh/run/a1.${suffix}`,
};

describe('native state reports', () => {
  it('maps Claude Code hook events', () => {
    expect(claudeHookStatus('SessionStart', null)).toBe('idle');
    expect(claudeHookStatus('UserPromptSubmit', null)).toBe('busy');
    expect(claudeHookStatus('Stop', null)).toBe('idle');
    expect(
      claudeHookStatus('Notification', { message: 'Claude needs your permission to use Bash' }),
    ).toBe('waiting');
    expect(claudeHookStatus('Notification', { message: 'Claude is waiting for your input' })).toBe(
      'idle',
    );
    expect(claudeHookStatus('PreToolUse', null)).toBeNull();
  });

  it('reads the newer Notification shape: notification_type before the message', () => {
    const hook = claude.native!.hook;
    // as Claude Code 2.x writes it on the hook's stdin
    const payload = (type: string, message: string) =>
      JSON.stringify({
        session_id: 'c2080807-7e55-40ec-8134-9ec438bc5ec7',
        transcript_path: '/home/me/.claude/projects/-w/c2080807.jsonl',
        cwd: '/w',
        hook_event_name: 'Notification',
        message,
        notification_type: type,
      });
    expect(
      hook.read(
        'Notification',
        payload('permission_prompt', 'Claude needs your permission to use Bash'),
      ),
    ).toEqual({
      status: 'waiting',
      event: 'Notification',
      note: 'permission_prompt: Claude needs your permission to use Bash',
      sessionId: 'c2080807-7e55-40ec-8134-9ec438bc5ec7',
    });
    expect(
      hook.read('Notification', payload('idle_prompt', 'Claude is waiting for your input')),
    ).toEqual({
      status: 'idle',
      event: 'Notification',
      note: 'idle_prompt: Claude is waiting for your input',
      sessionId: 'c2080807-7e55-40ec-8134-9ec438bc5ec7',
    });
    // the elicitation's wording is a stand-in; its type is documented
    expect(
      hook.read('Notification', payload('elicitation_dialog', 'Claude Code needs your input')),
    ).toMatchObject({
      status: 'waiting',
      note: 'elicitation_dialog: Claude Code needs your input',
    });
    // a login that went through asks nothing: not a state change
    expect(hook.read('Notification', payload('auth_success', 'Logged in')).status).toBeNull();
  });

  it('reads the older Notification shape: message and title, no type', () => {
    const hook = claude.native!.hook;
    const older = (message: string) =>
      JSON.stringify({
        session_id: 'abc123',
        transcript_path: '/home/me/.claude/projects/-w/abc123.jsonl',
        hook_event_name: 'Notification',
        message,
        title: 'Claude Code',
      });
    expect(hook.read('Notification', older('Claude needs your permission to use Write'))).toEqual({
      status: 'waiting',
      event: 'Notification',
      note: 'Claude needs your permission to use Write',
      sessionId: 'abc123',
    });
    expect(hook.read('Notification', older('Claude is waiting for your input'))).toEqual({
      status: 'idle',
      event: 'Notification',
      note: 'Claude is waiting for your input',
      sessionId: 'abc123',
    });
  });

  it('keeps a Notification note to one escaped line of at most 300 chars', () => {
    const hook = claude.native!.hook;
    const note = (message: unknown, type?: unknown) =>
      hook.read('Notification', JSON.stringify({ message, notification_type: type })).note;
    expect(note('Claude needs your permission to use Bash\n\x1b]52;c;cHduZWQ=\x07')).toBe(
      'Claude needs your permission to use Bash\\x0A\\x1B]52;c;cHduZWQ=\\x07',
    );
    const long = note(`Claude needs your permission to use ${'mcp__x__'.repeat(60)}`)!;
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
    expect(note('  ', 'permission_prompt')).toBe('permission_prompt');
    expect(note(42, ['permission_prompt'])).toBeUndefined();
    expect(hook.read('Stop', '{"message":"done"}')).toEqual({ status: 'idle', event: 'Stop' });
  });

  it('maps codex notify payloads and never throws on bad JSON', () => {
    expect(codexNotifyStatus(parsePayload('{"type":"agent-turn-complete","turn-id":"1"}'))).toBe(
      'idle',
    );
    expect(codexNotifyStatus(parsePayload('not json'))).toBeNull();
  });

  it('reads `fleet hook claude <event>` with the payload on stdin', () => {
    const hook = claude.native!.hook;
    expect(hook.payloadOnStdin).toBe(true);
    expect(hook.read('Notification', '{"message":"Claude is waiting for your input"}')).toEqual({
      status: 'idle',
      event: 'Notification',
      note: 'Claude is waiting for your input',
    });
    expect(hook.read('Notification', 'garbage')).toEqual({
      status: 'waiting',
      event: 'Notification',
    });
  });

  it('reads `fleet hook codex <json>` and names the event after its type', () => {
    const hook = codex.native!.hook;
    expect(hook.payloadOnStdin).toBe(false);
    expect(hook.read('{"type":"agent-turn-complete"}', '')).toEqual({
      status: 'idle',
      event: 'agent-turn-complete',
    });
    expect(hook.read('{"type":"exec-approval-request"}', '').status).toBe('waiting');
    expect(hook.read(undefined, '')).toEqual({ status: null, event: 'notify' });
  });

  it('wires Claude Code through a settings file whose hook commands quote every word', () => {
    const w = claude.native!.wire(ctx);
    expect(w.argsAfter).toEqual(['--settings', '/fh/run/a1.claude-settings.json']);
    const settings = JSON.parse(w.files![0]!.content) as {
      hooks: Record<string, { hooks: { command: string }[] }[]>;
    };
    expect(settings.hooks.Notification![0]!.hooks[0]!.command).toBe(
      `'/opt/node/bin/node' '/app'\\''s/fleet.mjs' 'hook' 'x' 'Notification'`,
    );
  });

  it('wires codex through -c notify, before its own flags', () => {
    expect(codex.native!.wire(ctx)).toEqual({
      argsBefore: ['-c', `notify=["/opt/node/bin/node","/app's/fleet.mjs","hook","x"]`],
    });
  });
});
