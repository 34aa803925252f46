import { describe, expect, it } from 'vitest';
import { stub as stubRuntime } from '../runtimes/stub.js';
import { beatDue, heartbeatWriter, screenBeat, type ScreenBeatFacts } from './screen-beat.js';

const T = Date.parse('2025-05-01T10:00:00Z');
const pane = { pid: 4242, dead: false, epoch: 3 };

function facts(over: Partial<ScreenBeatFacts> = {}): ScreenBeatFacts {
  return {
    listed: pane,
    seen: { ...pane, lines: ['hello', 'stub> '] },
    pidAlive: true,
    launchEpoch: 3,
    current: null,
    patterns: stubRuntime.screen,
    nowMs: T,
    ...over,
  };
}

describe('heartbeatWriter', () => {
  it('leaves a self-reporting runtime to itself, and reads every other one off its screen', () => {
    expect(heartbeatWriter({ nativeState: 'self' }, {})).toBe('runtime');
    for (const kind of ['hooks', 'notify', 'heartbeat'])
      expect(heartbeatWriter({ nativeState: kind }, {})).toBe('fleetd');
  });

  it('reads a roster command off its screen even when the runtime reports itself', () => {
    expect(heartbeatWriter({ nativeState: 'self' }, { command: ['/bin/sh'] })).toBe('fleetd');
  });
});

describe('beatDue', () => {
  it('is due at first sight and once the interval has passed', () => {
    expect(beatDue(undefined, 15, T)).toBe(true);
    expect(beatDue(T - 14_999, 15, T)).toBe(false);
    expect(beatDue(T - 15_000, 15, T)).toBe(true);
  });
});

describe('screenBeat', () => {
  it('writes the screen status with the pane pid and epoch, labelled fleetd', () => {
    expect(screenBeat(facts())).toEqual({
      write: { ts: T, pid: 4242, status: 'idle', epoch: 3, src: 'fleetd' },
    });
    const busy = facts({ seen: { ...pane, lines: ['stub[busy]> '] } });
    expect(screenBeat(busy)).toMatchObject({ write: { status: 'busy' } });
    const asking = facts({ seen: { ...pane, lines: ['stub[waiting]> '] } });
    expect(screenBeat(asking)).toMatchObject({ write: { status: 'waiting' } });
  });

  it('says ok when the screen says none of busy, idle or waiting', () => {
    const blank = facts({ seen: { ...pane, lines: ['compiling…'] } });
    expect(screenBeat(blank)).toMatchObject({ write: { status: 'ok' } });
  });

  it('never speaks for a pane that is missing, dead or was not started by the fleet', () => {
    expect(screenBeat(facts({ listed: null }))).toHaveProperty('skip');
    expect(screenBeat(facts({ listed: { ...pane, dead: true } }))).toHaveProperty('skip');
    expect(screenBeat(facts({ listed: { ...pane, pid: null } }))).toHaveProperty('skip');
    expect(screenBeat(facts({ listed: { ...pane, epoch: null } }))).toHaveProperty('skip');
  });

  it('never speaks for a process it did not see: pid or epoch changed, or pid gone', () => {
    expect(screenBeat(facts({ seen: null }))).toHaveProperty('skip');
    const other = { ...pane, pid: 5000, lines: ['stub> '] };
    expect(screenBeat(facts({ seen: other }))).toHaveProperty('skip');
    const newer = { ...pane, epoch: 4, lines: ['stub> '] };
    expect(screenBeat(facts({ seen: newer }))).toHaveProperty('skip');
    expect(screenBeat(facts({ seen: { ...pane, dead: true, lines: [] } }))).toHaveProperty('skip');
    expect(screenBeat(facts({ pidAlive: false }))).toHaveProperty('skip');
  });

  it('never writes a stale epoch: a newer launch or a newer heartbeat wins', () => {
    expect(screenBeat(facts({ launchEpoch: 4 }))).toEqual({
      skip: "launch 4 is newer than the pane's 3",
    });
    const current = { ts: T - 1000, pid: 7, status: 'idle' as const, epoch: 4, src: 'self' };
    expect(screenBeat(facts({ current }))).toHaveProperty('skip');
    // its own older heartbeat, or one without an epoch, is simply rewritten
    const older = { ...current, epoch: 2 };
    expect(screenBeat(facts({ current: older }))).toHaveProperty('write');
    expect(screenBeat(facts({ current: { ...current, epoch: null } }))).toHaveProperty('write');
  });
});
