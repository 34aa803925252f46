import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn, type IPty } from 'node-pty';
import { describe, expect, it } from 'vitest';
import { loadRoster } from '../lib/roster/load.js';
import { FLEET_BIN, tempHome } from './support/fleet-cli.js';

/** Drive the interactive wizard through a real PTY, answering its prompts like a person. */
class Wizard {
  private buf = '';
  private exit: Promise<number>;
  constructor(private pty: IPty) {
    pty.onData((d) => (this.buf += d));
    this.exit = new Promise((res) => pty.onExit(({ exitCode }) => res(exitCode)));
  }
  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const start = Date.now();
    for (;;) {
      // strip ANSI escapes (ESC is a control character by definition)
      // eslint-disable-next-line no-control-regex
      const plain = this.buf.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      if (typeof text === 'string' ? plain.includes(text) : text.test(plain)) return;
      if (Date.now() - start > timeoutMs)
        throw new Error(`timed out waiting for ${String(text)}; screen:\n${plain.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  type(keys: string): void {
    this.pty.write(keys);
  }
  done(): Promise<number> {
    return this.exit;
  }
}

const DOWN = '\x1b[B';
const ENTER = '\r';
const BACKSPACE = '\x7f';

describe('fleet init wizard (real PTY)', () => {
  it('asks the type, runtime and socket, shows the roster and writes it on confirm', async () => {
    const home = tempHome();
    const pty = spawn(process.execPath, [FLEET_BIN, 'init'], {
      cols: 120,
      rows: 40,
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: home, TERM: 'xterm-256color', FLEET_HOME: home },
    });
    const w = new Wizard(pty);
    await w.waitFor('What kind of fleet?');
    // the list starts at the first preset; walk down to the system types and pick "research"
    await w.waitFor('coding');
    let steps = 0;
    w.type(DOWN);
    for (;;) {
      await new Promise((r) => setTimeout(r, 60));
      try {
        await w.waitFor(/❯ research — Research/, 200);
        break;
      } catch {
        if (++steps > 20) throw new Error('research system type not reachable in the list');
        w.type(DOWN);
      }
    }
    w.type(ENTER);
    await w.waitFor('Which runtime');
    w.type(DOWN); // claude → codex
    w.type(ENTER);
    await w.waitFor('tmux socket name');
    w.type('mf-wiz' + ENTER);
    await w.waitFor('Which chat connector?');
    w.type(ENTER); // none, the default: no block
    await w.waitFor('Write this roster to');
    w.type(ENTER);
    expect(await w.done()).toBe(0);
    const roster = readFileSync(path.join(home, 'roster.yaml'), 'utf8');
    expect(roster).toContain('socket_name: mf-wiz');
    expect(roster).toContain('role: lead-researcher');
    expect(roster).toContain('runtime: codex');
    expect(roster).toContain('class: enhancer');
    expect(roster).not.toContain('connector');
  });

  it('asks the matrix fields, re-asks a value the schema refuses, and writes the block', async () => {
    const home = tempHome();
    const pty = spawn(process.execPath, [FLEET_BIN, 'init'], {
      cols: 160,
      rows: 40,
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: home, TERM: 'xterm-256color', FLEET_HOME: home },
    });
    const w = new Wizard(pty);
    await w.waitFor('What kind of fleet?');
    w.type(ENTER); // the first preset
    await w.waitFor('tmux socket name');
    w.type(ENTER);
    await w.waitFor('Which chat connector?');
    await w.waitFor('❯ none');
    w.type(DOWN);
    await w.waitFor('❯ matrix');
    w.type(ENTER);
    // each wrong answer shows the roster schema's message and the same question again
    const answer = async (prompt: string, bad: string, message: string, good: string) => {
      await w.waitFor(prompt);
      w.type(bad + ENTER);
      await w.waitFor(message);
      w.type(BACKSPACE.repeat(bad.length) + good + ENTER);
    };
    await answer(
      'Matrix homeserver URL',
      'ftp://matrix.example.org',
      'must be an http:// or https:// URL',
      'https://matrix.example.org',
    );
    await answer(
      "The bot's Matrix user id",
      'fleet',
      'must be a Matrix user id like @fleet:example.org',
      '@fleet:example.org',
    );
    await answer(
      "The room's internal id",
      '#fleet:example.org',
      'must be a room id starting with !',
      '!abc:example.org',
    );
    await w.waitFor('Write this roster to');
    w.type(ENTER);
    expect(await w.done()).toBe(0);
    await w.waitFor(/set MATRIX_ACCESS_TOKEN .*then run: fleet connector test/);
    const file = path.join(home, 'roster.yaml');
    expect(readFileSync(file, 'utf8')).toContain(
      [
        "# the access token comes from MATRIX_ACCESS_TOKEN in fleetd's environment, never from this file",
        'connector:',
        '  kind: matrix',
        '  matrix:',
        '    homeserver_url: https://matrix.example.org',
        '    user_id: "@fleet:example.org"',
        '    room_id: "!abc:example.org"',
      ].join('\n'),
    );
    expect(loadRoster(file).roster.connector).toMatchObject({
      kind: 'matrix',
      matrix: { room_id: '!abc:example.org' },
    });
  });

  it('without a terminal and without flags, says what to pass', async () => {
    const { runFleet } = await import('./support/fleet-cli.js');
    const r = await runFleet(tempHome(), ['init']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --profile <preset> or --system-type <id>');
  });
});
