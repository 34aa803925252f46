/**
 * Who did what (lib/ops/timeline.ts) end to end: fleetd in this process with its supervisor, a
 * stub worker on real tmux, PGlite. The worker works two cards, each after a permission prompt
 * the operator answers; an operator restarts it with the CLI, takes it over on a terminal and
 * detaches. `fleet agent timeline <name> --json` then shows each in order with its spans; the
 * supervisor's start was recorded through fleetd's services, the CLI's restart, takeover and
 * release through its socket.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as pty from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineView } from '@/lib/timeline/contract.js';
import type { TimelineEntry } from '@/lib/timeline/rules.js';
import { FLEET_BIN } from './support/fleet-cli.js';
import { FLOOR, supervisedHarnesses, type Harness } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
const terms: pty.IPty[] = [];
afterEach(async (ctx) => {
  for (const t of terms.splice(0)) {
    try {
      t.kill();
    } catch {
      // already gone
    }
  }
  await harnesses.closeAll(ctx.task.result?.state === 'fail');
});

const BY = 'test:operator';

function screen(h: Harness, name: string): string {
  try {
    return h.fleet.capture(name);
  } catch {
    return '';
  }
}

/** Answer the permission prompt the stub shows for `card`, then wait for the card to be done. */
async function workWithPermission(h: Harness, card: string): Promise<void> {
  await h.client.backlog.create({ id: card, title: `card ${card}`, body: 'work: 0.5s' });
  const asked = await until(
    async () =>
      (await h.client.inbox.list()).items.find(
        (i) => i.reason === 'permission' && i.agent === 'w1' && i.evidence.includes(card),
      ) ?? null,
    `a permission item for ${card}`,
  );
  await h.client.inbox.act({ id: asked.id, action: 'approve', by: BY });
  await until(
    async () => (await h.client.backlog.show(card)).card.status === 'done',
    `${card} done`,
    30_000,
  );
  await until(
    async () => !(await h.client.inbox.list()).items.some((i) => i.id === asked.id),
    `the item of ${card} cleared`,
  );
}

/** The built CLI on a real terminal, as an operator runs `fleet agent attach`. */
function onTerminal(h: Harness, args: string[]) {
  const env = {
    ...process.env,
    FLEET_HOME: h.fleet.home,
    TMUX_TMPDIR: h.fleet.tmpdir,
    TERM: 'xterm-256color',
  } as Record<string, string>;
  delete env.TMUX;
  delete env.TMUX_PANE;
  const t = pty.spawn(process.execPath, [FLEET_BIN, ...args], { cols: 100, rows: 30, env });
  terms.push(t);
  let output = '';
  t.onData((d) => (output += d));
  const exited = new Promise<number>((resolve) => t.onExit((e) => resolve(e.exitCode)));
  return { t, output: () => output, exited };
}

const span = (e: TimelineEntry) => ('end' in e ? Date.parse(e.end) - Date.parse(e.start) : 0);

describe('fleet agent timeline', () => {
  it('shows the cards worked, the waits, the restart and the takeover, in order', async () => {
    const h = await harnesses.start([
      ...FLOOR,
      { name: 'w1', class: 'worker', env: { MOSAIC_STUB_ASK_PERMISSION: '1' } },
    ]);
    await until(() => screen(h, 'w1').includes('stub>'), 'w1 at its prompt');
    await workWithPermission(h, 'c1');
    await workWithPermission(h, 'c2');

    const restarted = await h.fleet.run(['restart', 'w1']);
    expect(restarted.code, restarted.stderr).toBe(0);
    await until(() => screen(h, 'w1').includes('stub>'), 'w1 back at its prompt');

    const marker = path.join(h.fleet.home, 'run', 'w1.takeover');
    const a = onTerminal(h, ['agent', 'attach', 'w1']);
    await until(() => existsSync(marker) && a.output().includes('stub'), 'takeover held');
    a.t.write('\x02d');
    expect(await a.exited).toBe(0);
    expect(existsSync(marker)).toBe(false);

    const r = await h.fleet.run(['agent', 'timeline', 'w1', '--since', '1h', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout) as TimelineView;
    expect(v).toMatchObject({ agent: 'w1', tenant_id: 'default', host: v.agent_host });
    // a screen read mid-draw may see a waiting agent before its prompt is whole: such a passing
    // `question` is history too, but not what this test is about
    const entries = v.entries.filter((e) => e.kind !== 'wait' || e.reason === 'permission');
    for (const other of v.entries.filter((e) => !entries.includes(e)))
      expect(other, JSON.stringify(other)).toMatchObject({ kind: 'wait', open: false });
    const kinds = entries.map((e) =>
      e.kind === 'card' ? `card ${e.card}` : e.kind === 'start' ? `start ${e.reason}` : e.kind,
    );
    expect(kinds, JSON.stringify(v.entries, null, 1)).toEqual([
      'start start',
      'card c1',
      'wait',
      'card c2',
      'wait',
      'start operator',
      'takeover',
    ]);
    const [first, c1, w1, c2, w2, again, takeover] = entries as [
      Extract<TimelineEntry, { kind: 'start' }>,
      Extract<TimelineEntry, { kind: 'card' }>,
      Extract<TimelineEntry, { kind: 'wait' }>,
      Extract<TimelineEntry, { kind: 'card' }>,
      Extract<TimelineEntry, { kind: 'wait' }>,
      Extract<TimelineEntry, { kind: 'start' }>,
      Extract<TimelineEntry, { kind: 'takeover' }>,
    ];
    // the supervisor's start, through fleetd's services; the restart, through the socket
    expect(first).toMatchObject({ epoch: 1, by: 'supervisor' });
    expect(again.epoch).toBe(2);
    expect(again.by).not.toBe('supervisor');
    for (const [card, title] of [
      [c1, 'card c1'],
      [c2, 'card c2'],
    ] as const) {
      expect(card).toMatchObject({ title, outcome: 'completed', open: false });
      expect(card.owner).toMatch(/^w1@.+#1$/);
      expect(span(card)).toBeGreaterThan(0);
    }
    // each wait is the permission prompt inside its card's span, raised and cleared
    for (const [wait, card] of [
      [w1, c1],
      [w2, c2],
    ] as const) {
      expect(wait).toMatchObject({ reason: 'permission', open: false });
      expect(Date.parse(wait.start)).toBeGreaterThanOrEqual(Date.parse(card.start));
      expect(Date.parse(wait.end)).toBeLessThanOrEqual(Date.parse(card.end) + 2_000);
      expect(span(wait)).toBeGreaterThan(0);
    }
    expect(Date.parse(c2.start)).toBeGreaterThanOrEqual(Date.parse(c1.end));
    expect(Date.parse(again.start)).toBeGreaterThanOrEqual(Date.parse(c2.end));
    expect(takeover.open).toBe(false);
    expect(Date.parse(takeover.start)).toBeGreaterThanOrEqual(Date.parse(again.start));
    expect(span(takeover)).toBeGreaterThan(0);

    // the readable list says the same, one line each
    const text = await h.fleet.run(['agent', 'timeline', 'w1']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^TIME\s+KIND\s+WHAT\s+DURATION$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[2])).toEqual(v.entries.map((e) => e.kind));
    expect(text.stdout).toMatch(/c1 "card c1": completed/);
    expect(text.stdout).toMatch(/restarted by an operator/);

    // an unknown --since is refused with the flag's name
    const bad = await h.fleet.run(['agent', 'timeline', 'w1', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since/);
  });
});
