import { describe, expect, it } from 'vitest';
import { hookRecord, parsePayload } from './hooks.js';
import { formatHeartbeat, health, parseHeartbeat } from './protocol.js';

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
    expect(hookRecord('idle', 'Stop', undefined, T).epoch).toBeNull();
  });
});
