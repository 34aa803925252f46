import { describe, expect, it } from 'vitest';
import { parseHeartbeat } from '../heartbeat/protocol.js';
import { hookNeed } from './hook-need.js';

const waiting = (note?: string) => ({ status: 'waiting', event: 'Notification', note });

describe('hookNeed', () => {
  it('reads a permission prompt from the newer note and the older message alike', () => {
    expect(
      hookNeed(waiting('permission_prompt: Claude needs your permission to use Bash')),
    ).toEqual({
      reason: 'permission',
      evidence: 'Claude Code: permission_prompt: Claude needs your permission to use Bash',
      resetAt: null,
    });
    expect(hookNeed(waiting('Claude needs your permission to use Write'))?.reason).toBe(
      'permission',
    );
  });

  it('reads anything else the runtime waits on as a question', () => {
    // an MCP elicitation (the type is documented, the wording a stand-in)
    expect(hookNeed(waiting('elicitation_dialog: Claude Code needs your input'))).toEqual({
      reason: 'question',
      evidence: 'Claude Code: elicitation_dialog: Claude Code needs your input',
      resetAt: null,
    });
  });

  it('needs a waiting record with a note', () => {
    expect(hookNeed(null)).toBeNull();
    // a record written before notes existed: only the screen can tell
    expect(hookNeed({ status: 'waiting', event: 'Notification' })).toBeNull();
    expect(hookNeed(waiting(' '))).toBeNull();
    expect(
      hookNeed({ status: 'idle', event: 'Notification', note: 'Claude is waiting for your input' }),
    ).toBeNull();
    expect(hookNeed({ status: 'busy', note: 'permission_prompt: x' })).toBeNull();
  });

  it('reads the record as run/<name>.status holds it, and escapes what it shows', () => {
    const rec = parseHeartbeat(
      'ts=2025-05-01T10:00:00.000Z pid=0 status=waiting epoch=3 src=hook event=Notification ' +
        'note=permission_prompt:%20Claude%20needs%20your%20permission%20to%20use%20Bash',
    );
    expect(hookNeed(rec)?.evidence).toBe(
      'Claude Code: permission_prompt: Claude needs your permission to use Bash',
    );
    const raw = hookNeed(waiting('needs you\u001b[2J'.padEnd(400, '!')))!;
    expect(raw.evidence).toMatch(/^Claude Code: needs you\\x1B\[2J!+…$/);
    expect(raw.evidence).toHaveLength('Claude Code: '.length + 300);
  });

  it('names another runtime when asked', () => {
    expect(hookNeed(waiting('exec-approval-request'), 'Codex CLI')).toEqual({
      reason: 'permission',
      evidence: 'Codex CLI: exec-approval-request',
      resetAt: null,
    });
  });
});
