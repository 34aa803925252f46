import { describe, expect, it } from 'vitest';
import { hookRecord, parsePayload } from './hooks.js';
import { cleanNote, formatHeartbeat, health, MAX_NOTE, parseHeartbeat } from './protocol.js';

const T = Date.parse('2025-05-01T10:00:00.000Z');

describe('heartbeat protocol v1', () => {
  it('round-trips a record', () => {
    const rec = { ts: T, pid: 42, status: 'busy' as const, epoch: 7, src: 'self' };
    const text = formatHeartbeat(rec);
    expect(text).toBe('ts=2025-05-01T10:00:00.000Z pid=42 status=busy epoch=7 src=self\n');
    expect(parseHeartbeat(text)).toEqual(rec);
  });

  it('reads the v1 core written by other runtimes (no epoch, any order, unknown keys)', () => {
    expect(parseHeartbeat('status=ok extra=1 pid=9 ts=2025-05-01T10:00:00Z')).toEqual({
      ts: T,
      pid: 9,
      status: 'ok',
      epoch: null,
    });
  });

  it('rejects what is not a heartbeat', () => {
    expect(parseHeartbeat('')).toBeNull();
    expect(parseHeartbeat('ts=yesterday pid=1 status=ok')).toBeNull();
    expect(parseHeartbeat('ts=2025-05-01T10:00:00Z pid=1 status=sleeping')).toBeNull();
  });

  it('writes a note as one word and reads it back; records without one still read', () => {
    const rec = {
      ts: T,
      pid: null,
      status: 'waiting' as const,
      epoch: 3,
      src: 'hook',
      event: 'Notification',
      note: 'permission_prompt: Claude needs your permission to use Bash (100% sure)',
    };
    const text = formatHeartbeat(rec);
    expect(text).toBe(
      'ts=2025-05-01T10:00:00.000Z pid=0 status=waiting epoch=3 src=hook event=Notification ' +
        'note=permission_prompt:%20Claude%20needs%20your%20permission%20to%20use%20Bash%20(100%25%20sure)\n',
    );
    expect(parseHeartbeat(text)).toEqual({ ...rec, pid: 0 });
    // written before notes existed
    expect(
      parseHeartbeat(
        'ts=2025-05-01T10:00:00.000Z pid=0 status=waiting epoch=3 src=hook event=Notification',
      ),
    ).toEqual({ ts: T, pid: 0, status: 'waiting', epoch: 3, src: 'hook', event: 'Notification' });
  });

  it('never lets the text of a note or an event add or override a key', () => {
    const text = formatHeartbeat({
      ts: T,
      pid: null,
      status: 'waiting',
      epoch: 3,
      src: 'hook',
      event: 'odd type status=idle',
      note: 'x status=idle\nepoch=9\tsrc=self\u00a0ts=2000-01-01T00:00:00Z',
    });
    expect(text.trim().split(' ')).toHaveLength(7);
    // an older parser, which ignores `note`, sees the same record
    const words = new Map(
      text
        .trim()
        .split(' ')
        .map((w) => w.split('=', 2) as [string, string]),
    );
    expect([words.get('status'), words.get('epoch'), words.get('src')]).toEqual([
      'waiting',
      '3',
      'hook',
    ]);
    expect(parseHeartbeat(text)).toMatchObject({
      ts: T,
      status: 'waiting',
      epoch: 3,
      src: 'hook',
      event: 'odd type status=idle',
      note: 'x status=idle\\x0Aepoch=9\\x09src=self\u00a0ts=2000-01-01T00:00:00Z',
    });
  });

  it('reads a hand-edited note: controls escaped, a stray % kept, over-long cut', () => {
    const base = 'ts=2025-05-01T10:00:00Z pid=1 status=waiting';
    expect(parseHeartbeat(`${base} note=red%1B[31m`)?.note).toBe('red\\x1B[31m');
    expect(parseHeartbeat(`${base} note=100%`)?.note).toBe('100%');
    expect(parseHeartbeat(`${base} note=`)).not.toHaveProperty('note');
    expect(parseHeartbeat(`${base} note=${'a'.repeat(500)}`)?.note).toBe(
      'a'.repeat(MAX_NOTE - 1) + '…',
    );
  });

  it('is healthy within 3 × interval, stale after, unknown when missing', () => {
    const rec = parseHeartbeat('ts=2025-05-01T10:00:00Z pid=1 status=ok')!;
    expect(health(rec, T + 45_000, 15)).toBe('healthy');
    expect(health(rec, T + 45_001, 15)).toBe('stale');
    expect(health(null, T, 15)).toBe('unknown');
  });
});

// each runtime's own payloads are read by its adapter: lib/runtimes/native.test.ts
describe('hook reports', () => {
  it('parses payloads leniently: never throws on bad JSON', () => {
    expect(parsePayload('{"type":"agent-turn-complete"}')).toEqual({ type: 'agent-turn-complete' });
    expect(parsePayload('not json')).toBeNull();
    expect(parsePayload('  ')).toBeNull();
  });

  it('records the launch epoch when MOSAIC_AGENT_EPOCH is a number, and formats as v1', () => {
    const rec = hookRecord('busy', 'UserPromptSubmit', '3', T);
    expect(formatHeartbeat(rec)).toBe(
      'ts=2025-05-01T10:00:00.000Z pid=0 status=busy epoch=3 src=hook event=UserPromptSubmit\n',
    );
    expect(hookRecord('idle', 'Stop', 'x', T).epoch).toBeNull();
    expect(hookRecord('idle', 'Stop', 'x', T)).not.toHaveProperty('note');
    expect(hookRecord('idle', 'Stop', undefined, T).epoch).toBeNull();
  });
});

describe('notes', () => {
  it('escapes control characters, trims, and is empty for blank text', () => {
    expect(cleanNote('  Claude needs your permission\x1b]0;pwned\x07 \n')).toBe(
      'Claude needs your permission\\x1B]0;pwned\\x07',
    );
    expect(cleanNote('a\u009bb')).toBe('a\\x9Bb');
    expect(cleanNote(' \n\t ')).toBeUndefined();
  });

  it('keeps at most MAX_NOTE characters, never cutting an escape or a surrogate pair', () => {
    expect(cleanNote('a'.repeat(MAX_NOTE))).toBe('a'.repeat(MAX_NOTE));
    const cut = cleanNote('a'.repeat(MAX_NOTE - 3) + '\x1b' + 'b'.repeat(50))!;
    expect(cut).toBe('a'.repeat(MAX_NOTE - 3) + '…');
    const emoji = cleanNote('a'.repeat(MAX_NOTE - 2) + '😀😀')!;
    expect(emoji).toBe('a'.repeat(MAX_NOTE - 2) + '…');
    expect(cut.length).toBeLessThanOrEqual(MAX_NOTE);
    expect(cleanNote(cut)).toBe(cut);
  });

  it('is recorded by a hook, cleaned whatever the adapter passed', () => {
    const rec = hookRecord('waiting', 'Notification', '3', T, 'needs you\x1b[2J');
    expect(rec.note).toBe('needs you\\x1B[2J');
    expect(formatHeartbeat(rec)).toBe(
      'ts=2025-05-01T10:00:00.000Z pid=0 status=waiting epoch=3 src=hook event=Notification note=needs%20you\\x1B[2J\n',
    );
    expect(hookRecord('waiting', 'Notification', '3', T, ' ')).not.toHaveProperty('note');
  });
});
