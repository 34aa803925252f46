import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues } from '../zod-issues.js';
import { connectorSchema, DEFAULT_NOTIFY_REASONS, DEFAULT_TOKEN_ENV } from './config.js';

// as the roster embeds it, so issue paths start at `connector`
const roster = z.object({ connector: connectorSchema.optional() });

const matrix = {
  homeserver_url: 'https://matrix.example.org',
  user_id: '@fleet:example.org',
  room_id: '!abc:example.org',
};

function problem(connector: unknown): string {
  const r = roster.safeParse({ connector });
  if (r.success) throw new Error('expected the block to be refused');
  return describeIssues(r.error.issues);
}

describe('connectorSchema', () => {
  it('reads a matrix block and fills the notify defaults', () => {
    const c = connectorSchema.parse({ kind: 'matrix', matrix });
    expect(c).toEqual({
      kind: 'matrix',
      matrix,
      notify: { reasons: [...DEFAULT_NOTIFY_REASONS], max_per_minute: 10 },
    });
    expect(DEFAULT_NOTIFY_REASONS).toContain('recovery_halted');
  });

  it('names the missing field of the chosen kind by its path', () => {
    const { room_id: _, ...noRoom } = matrix;
    expect(problem({ kind: 'matrix', matrix: noRoom })).toMatch(
      /^connector\.matrix\.room_id: required: the room's internal id/,
    );
    expect(problem({ kind: 'matrix' })).toBe(
      'connector.matrix: required when kind is matrix (homeserver_url, user_id and room_id)',
    );
    expect(problem({ kind: 'telegram' })).toMatch(
      /^connector\.telegram: required when kind is telegram \(chat_id\)/,
    );
    expect(problem({ kind: 'telegram', telegram: {} })).toMatch(
      /^connector\.telegram\.chat_id: required/,
    );
    expect(problem({ kind: 'webhook', webhook: {} })).toBe('connector.webhook.url: required');
    expect(problem({ kind: 'webhook' })).toMatch(
      /^connector\.webhook: required when kind is webhook \(url\)/,
    );
  });

  it('needs no block for none, slack and discord', () => {
    for (const kind of ['none', 'slack', 'discord'])
      expect(connectorSchema.safeParse({ kind }).success).toBe(true);
    expect(connectorSchema.safeParse({ kind: 'slack', slack: {} }).success).toBe(true);
  });

  it('accepts the older type: key for kind, but not both', () => {
    expect(connectorSchema.parse({ type: 'discord' }).kind).toBe('discord');
    expect(problem({ type: 'slack', kind: 'discord' })).toMatch(/type/);
  });

  it('requires kind and refuses an unknown one or an unknown key', () => {
    expect(problem({})).toMatch(/^connector\.kind:/);
    expect(problem({ kind: 'irc' })).toMatch(/^connector\.kind:/);
    expect(problem({ kind: 'slack', token: 'xoxb-secret' })).toMatch(/token/);
  });

  it('keeps a telegram chat id as a string, even when YAML read a number', () => {
    const c = connectorSchema.parse({ kind: 'telegram', telegram: { chat_id: -100123456 } });
    expect(c.telegram).toEqual({ chat_id: '-100123456', api_url: 'https://api.telegram.org' });
    expect(problem({ kind: 'telegram', telegram: { chat_id: 'my chat' } })).toMatch(
      /^connector\.telegram\.chat_id:/,
    );
  });

  it('takes only http and https URLs', () => {
    expect(problem({ kind: 'webhook', webhook: { url: 'ftp://hooks.example.org/x' } })).toMatch(
      /^connector\.webhook\.url: must be an http/,
    );
    expect(
      problem({ kind: 'matrix', matrix: { ...matrix, homeserver_url: 'javascript:alert(1)' } }),
    ).toMatch(/^connector\.matrix\.homeserver_url:/);
    expect(problem({ kind: 'none', panel_url: 'file:///etc/passwd' })).toMatch(
      /^connector\.panel_url:/,
    );
  });

  it('checks matrix ids, token_env, allow and the notify limits', () => {
    expect(
      problem({ kind: 'matrix', matrix: { ...matrix, room_id: '#fleet:example.org' } }),
    ).toMatch(/^connector\.matrix\.room_id: .*alias/);
    expect(problem({ kind: 'matrix', matrix: { ...matrix, user_id: 'fleet' } })).toMatch(
      /^connector\.matrix\.user_id:/,
    );
    expect(problem({ kind: 'slack', token_env: 'NOT A NAME' })).toMatch(/^connector\.token_env:/);
    expect(problem({ kind: 'slack', allow: [] })).toMatch(/^connector\.allow: list at least one/);
    expect(problem({ kind: 'slack', notify: { max_per_minute: 0 } })).toMatch(
      /^connector\.notify\.max_per_minute:/,
    );
    expect(problem({ kind: 'slack', notify: { max_per_minute: 601 } })).toMatch(
      /^connector\.notify\.max_per_minute:/,
    );
    const c = connectorSchema.parse({ kind: 'slack', notify: { reasons: ['question'] } });
    expect(c.notify).toEqual({ reasons: ['question'], max_per_minute: 10 });
  });

  it('names a default variable for each kind that needs a secret', () => {
    expect(DEFAULT_TOKEN_ENV).toEqual({
      none: null,
      matrix: 'MATRIX_ACCESS_TOKEN',
      telegram: 'TELEGRAM_BOT_TOKEN',
      slack: 'SLACK_WEBHOOK_URL',
      discord: 'DISCORD_WEBHOOK_URL',
      webhook: 'FLEET_WEBHOOK_SECRET',
    });
  });

  it('can be written as JSON Schema, as the roster schema file is', () => {
    const schema = z.toJSONSchema(roster, { io: 'input', target: 'draft-2020-12' });
    expect(JSON.stringify(schema)).toContain('homeserver_url');
  });
});
