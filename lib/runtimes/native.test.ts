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
