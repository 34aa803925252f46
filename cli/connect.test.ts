import { describe, expect, it } from 'vitest';
import { forwardedServeFlags } from './connect.js';

describe('forwardedServeFlags', () => {
  it('passes the flags after `serve` to the detached child, minus --detach and --json', () => {
    const argv = [
      'node',
      'fleet.mjs',
      'serve',
      '--detach',
      '--no-supervise',
      '--web-port',
      '8080',
      '--json',
    ];
    expect(forwardedServeFlags(argv)).toEqual(['--no-supervise', '--web-port', '8080']);
  });

  it('forwards nothing when serve was not on the command line', () => {
    expect(forwardedServeFlags(['node', 'fleet.mjs', 'backlog', 'stats', '--start'])).toEqual([]);
  });
});
