import { describe, expect, it } from 'vitest';
import {
  parseServerMessage,
  parseTakeoverMessage,
  TERMINAL_PATH_RE,
  terminalPath,
} from './terminal-protocol.js';

describe('terminal protocol', () => {
  it('accepts only input and resize from a takeover client', () => {
    expect(parseTakeoverMessage('{"type":"input","data":"ls\\r"}')).toEqual({
      type: 'input',
      data: 'ls\r',
    });
    expect(parseTakeoverMessage('{"type":"resize","cols":80,"rows":24}')).toEqual({
      type: 'resize',
      cols: 80,
      rows: 24,
    });
    for (const bad of [
      '{"type":"output","data":"x"}',
      '{"type":"input"}',
      '{"type":"input","data":"x","extra":1}',
      'not json',
      '{"type":"resize","cols":0,"rows":24}',
    ]) {
      expect(parseTakeoverMessage(bad)).toBeNull();
    }
  });

  it('parses what the server sends', () => {
    expect(parseServerMessage('{"type":"exit","code":0,"reason":"gone"}')).toEqual({
      type: 'exit',
      code: 0,
      reason: 'gone',
    });
    expect(parseServerMessage('{"type":"input","data":"x"}')).toBeNull();
  });

  it('builds and matches terminal paths for valid agent names only', () => {
    expect(terminalPath('worker0', 'watch')).toBe('/ws/terminal/worker0?mode=watch');
    expect(TERMINAL_PATH_RE.exec('/ws/terminal/worker0')?.[1]).toBe('worker0');
    for (const bad of [
      '/ws/terminal/',
      '/ws/terminal/Worker',
      '/ws/terminal/a/b',
      '/ws/terminal/..',
    ])
      expect(TERMINAL_PATH_RE.test(bad)).toBe(false);
  });
});
