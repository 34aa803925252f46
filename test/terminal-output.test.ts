/**
 * The CLI's human output never hands control characters to the operator's terminal
 * (docs/security.md "Text that reaches a terminal"). A card whose title holds an OSC 52
 * clipboard write, a screen clear, BEL, a C1 CSI and a bidi override — as a card written before
 * fleetd refused such text, or by another client of a PostgreSQL store, would — is listed and
 * shown by the built `fleet` through real fleetd: the bytes on stdout carry none of them, the
 * escapes are visible instead, and --json still gives the exact title. An error message that
 * quotes the user's argument is made safe the same way.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetHome } from '../lib/home.js';
import { FLEET_BIN, spawnFleetd, tempHome, type Proc } from './support/fleetd.js';
import { findPgBin } from './support/postgres.js';

const run = promisify(execFile);

const ESC = 0x1b;
const BEL = 0x07;
const TITLE = 'deploy \x1b]52;c;cm0gLXJmIH4K\x07 \x1b[2J\x1b[H \u009b31m \u202eevil';

interface Bytes {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** The built CLI with its output as raw bytes, exactly what a terminal would receive. */
function fleetBytes(home: FleetHome, args: string[]): Promise<Bytes> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [FLEET_BIN, ...args],
      { env: { ...process.env, FLEET_HOME: home.root, FLEET_WEB: 'off' }, encoding: 'buffer' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Bytes a terminal acts on: C0 controls other than LF and TAB, DEL, and C1 (UTF-8 C2 80–9F). */
function controlBytes(b: Buffer): number[] {
  const found: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x7f) found.push(c);
    if (c === 0xc2 && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) found.push(b[i + 1]!);
    // U+202A–U+202E and U+2066–U+2069 are E2 80 AA–AE and E2 81 A6–A9
    if (c === 0xe2 && b[i + 1] === 0x80 && b[i + 2]! >= 0xaa && b[i + 2]! <= 0xae)
      found.push(0x202e);
  }
  return found;
}

describe('human output of the CLI', () => {
  let home: FleetHome;
  let cleanup: () => void;
  let fleetd: Proc;

  beforeAll(async () => {
    ({ home, cleanup } = tempHome({ seeded: true }));
    fleetd = await spawnFleetd(home);
    const created = await fleetBytes(home, ['backlog', 'create', '--id', 'T1', '--title', 'x']);
    expect(created.code, created.stderr.toString()).toBe(0);
    // the text goes in below the API, through fleetd's own SQL door, as any store client could
    const door = await fleetBytes(home, ['db', 'url']);
    const url = door.stdout.toString().trim();
    const sql = `update cards set title = $t$${TITLE}$t$, body = $b$line one\nline two \x1b[31mred\x07$b$ where id = 'T1'`;
    const psql = path.join(await findPgBin(), 'psql');
    await run(psql, [url, '-v', 'ON_ERROR_STOP=1', '-c', sql]);
    await fleetBytes(home, ['db', 'close']);
  });
  afterAll(async () => {
    fleetd.child.kill('SIGTERM');
    await fleetd.exited;
    cleanup();
  });

  it('`backlog list` shows the escapes and sends none of them', async () => {
    const r = await fleetBytes(home, ['backlog', 'list']);
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(r.stdout.includes(ESC)).toBe(false);
    expect(r.stdout.includes(BEL)).toBe(false);
    expect(controlBytes(r.stdout)).toEqual([]);
    const text = r.stdout.toString();
    expect(text).toContain(
      'deploy \\x1B]52;c;cm0gLXJmIH4K\\x07 \\x1B[2J\\x1B[H \\x9B31m \\u202Eevil',
    );
    expect(text.trimEnd().split('\n')).toHaveLength(1); // one card, one line
  });

  it('`backlog show` too, keeping the body on its own lines', async () => {
    const r = await fleetBytes(home, ['backlog', 'show', '--id', 'T1']);
    expect(r.code, r.stderr.toString()).toBe(0);
    expect(controlBytes(r.stdout)).toEqual([]);
    const text = r.stdout.toString();
    expect(text).toContain('T1: deploy \\x1B]52;c;');
    expect(text).toContain('  line one\n  line two \\x1B[31mred\\x07\n');
  });

  it('--json stays the exact JSON value, with nothing raw for a terminal', async () => {
    const r = await fleetBytes(home, ['backlog', 'show', '--id', 'T1', '--json']);
    expect(controlBytes(r.stdout)).toEqual([]);
    const card = (JSON.parse(r.stdout.toString()) as { card: { title: string } }).card;
    expect(card.title).toBe(TITLE);
  });

  it('an error that quotes the argument is one safe line on stderr', async () => {
    const r = await fleetBytes(home, ['roles', 'show', 'x\x1b]52;c;AAAA\x07\x1b[2J']);
    expect(r.code).toBe(6);
    expect(controlBytes(r.stderr)).toEqual([]);
    expect(r.stderr.toString()).toMatch(/^fleet: unknown .*"x\\x1B\]52;c;AAAA\\x07\\x1B\[2J"/);
    expect(r.stderr.toString().trimEnd().split('\n')).toHaveLength(1);
  });
});
