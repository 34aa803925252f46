import { describe, expect, it } from 'vitest';
import { inboxText, notificationText, parseChatCommand } from './chat.js';
import type { AttentionItem } from './types.js';

describe('parseChatCommand', () => {
  it('reads the few commands fleetd answers itself', () => {
    expect(parseChatCommand('status')).toEqual({ kind: 'status' });
    expect(parseChatCommand(' /Inbox ')).toEqual({ kind: 'inbox' });
    expect(parseChatCommand('/status@fleet_bot')).toEqual({ kind: 'status' });
    expect(parseChatCommand('!resume')).toEqual({ kind: 'resume' });
    expect(parseChatCommand('help')).toEqual({ kind: 'help' });
    expect(parseChatCommand('pause deploy freeze until 3pm')).toEqual({
      kind: 'pause',
      reason: 'deploy freeze until 3pm',
    });
    expect(parseChatCommand('pause')).toEqual({ kind: 'pause_needs_reason' });
  });

  it('anything else is for the orchestrator', () => {
    expect(parseChatCommand('status of the build?')).toBeNull();
    expect(parseChatCommand('please resume work on auth')).toBeNull();
    expect(parseChatCommand('resume now')).toBeNull();
    expect(parseChatCommand('$(rm -rf /)')).toBeNull();
    expect(parseChatCommand('')).toBeNull();
  });
});

const item = (over: Partial<AttentionItem> = {}): AttentionItem => ({
  tenant_id: 't',
  host: 'h1',
  id: 'a-abcdefghij',
  key: 'permission:w1',
  reason: 'permission',
  agent: 'w1',
  card: null,
  title: 'w1 asks for permission',
  evidence: 'one\ntwo\n\nthree\nfour\nfive',
  link: '/agents/w1',
  actions: ['approve', 'deny', 'reply'],
  reset_at: null,
  since: '2026-12-02T12:00:00Z',
  updated_at: '2026-12-02T12:00:00Z',
  acked_at: null,
  acked_by: null,
  cleared_at: null,
  ...over,
});

describe('texts', () => {
  it('a notification names the host and item, with the last lines of evidence', () => {
    const t = notificationText(item());
    expect(t.split('\n')).toEqual([
      '[fleet h1] w1 asks for permission',
      'two',
      'three',
      'four',
      'five',
      '(a-abcdefghij; answer in the panel or: fleet inbox act a-abcdefghij <action>)',
    ]);
  });

  it('the inbox answer lists items and links to the panel', () => {
    expect(inboxText([], null)).toBe('inbox: nothing needs you');
    const t = inboxText([item(), item({ id: 'a-2', acked_at: 'x', card: 'c1' })], 'http://p:1');
    expect(t).toContain('a-abcdefghij permission w1: w1 asks for permission');
    expect(t).toContain('a-2 permission w1 c1: w1 asks for permission (acknowledged)');
    expect(t.endsWith('http://p:1/inbox')).toBe(true);
  });
});
