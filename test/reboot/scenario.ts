import type { Container, User } from './container.js';
import type { ContainerFleet } from './fleet.js';
import { RebootFailure, Wait, describe, ok, progress, until } from './proc.js';
import {
  DAG,
  cardsSchema,
  createdSchema,
  eventsSchema,
  judgeAgentsBack,
  psSchema,
  statusSchema,
  type Card,
  type CardEvent,
  type Held,
} from './verdict.js';

/** The steps of the scenario inside the booted container (docs/architecture.md "Durability"). */

export const FLEET_USER = 'fleet';
/** each card is worked this long, so a reboot finds cards mid-work */
export const WORK_SECONDS = 8;

async function rootMust(c: Container, argv: readonly string[]): Promise<string> {
  const r = await c.exec(argv, { timeoutMs: 60_000 });
  if (!ok(r)) throw new RebootFailure(`in the container: ${describe(r)}`);
  return r.stdout.trim();
}

/**
 * The administrator's part: a user, and linger for it (what `loginctl enable-linger` as root
 * does). logind starts the user's systemd right away and at every boot, with nobody logged in.
 */
export async function provisionUser(c: Container): Promise<User> {
  await rootMust(c, ['useradd', '--create-home', '--shell', '/bin/bash', FLEET_USER]);
  await rootMust(c, ['loginctl', 'enable-linger', FLEET_USER]);
  const user: User = {
    name: FLEET_USER,
    uid: Number(await rootMust(c, ['id', '-u', FLEET_USER])),
    gid: Number(await rootMust(c, ['id', '-g', FLEET_USER])),
    home: `/home/${FLEET_USER}`,
  };
  await until(`the systemd user manager of ${FLEET_USER}`, 60_000, async () => {
    const r = await c.exec(['systemctl', '--user', 'is-system-running'], {
      timeoutMs: 10_000,
      user,
    });
    const state = r.stdout.trim();
    return state === 'running' || state === 'degraded' ? state : new Wait(describe(r));
  });
  return user;
}

/** The operator's part, as the user: init a stub fleet, then install the systemd units. */
export async function installFleet(f: ContainerFleet): Promise<string[]> {
  await f.must(['init', '--profile', 'demo', '--write']);
  for (const d of f.quietPlanners()) progress(`roster: dropped ${d} (no cards besides the DAG)`);
  await f.must(['roster', 'validate']);
  // init wrote each agent's launch env from the preset: regenerate it from the edited roster
  await f.must(['roster', 'env']);
  // no web panel: the bundle in the root has no Next build; FLEET_WEB=0 is fleetd's switch
  f.writeHomeFile('fleetd.env', 'FLEET_WEB=0\n', 0o600);
  const r = await f.must(['install-systemd']);
  const units = [...r.stdout.matchAll(/^wrote .*\/([^/\s]+\.service)$/gm)].map((m) => m[1]!);
  if (units.length !== 2)
    throw new RebootFailure(`fleet install-systemd wrote ${units.length} units:\n${r.stdout}`);
  for (const line of r.stdout.trim().split('\n')) progress(`install-systemd: ${line}`);
  return units;
}

/**
 * The fleet is up when both user units are active, the tmux server on the fleet's socket runs,
 * fleetd answers, and every roster agent is alive and healthy — under a newer epoch than
 * `before` when given. Returns each agent's epoch.
 */
export async function waitFleetUp(
  f: ContainerFleet,
  units: readonly string[],
  before: ReadonlyMap<string, number | null> | null,
  timeoutMs: number,
): Promise<Map<string, number | null>> {
  return until('the fleet to be up', timeoutMs, async () => {
    // is-active exits 0 when any one of the units is active: judge each unit's line
    const active = await f.asUser(['systemctl', '--user', 'is-active', ...units]);
    const states = active.stdout.trim().split('\n');
    if (states.length !== units.length || states.some((x) => x !== 'active'))
      return new Wait(`units: ${units.map((u, i) => `${u} ${states[i] ?? '?'}`).join(', ')}`);
    const status = await f.json(['status'], statusSchema);
    if (!status?.server) return new Wait('no tmux server on the fleet socket');
    const stats = await f.cli(['backlog', 'stats']);
    if (!ok(stats)) return new Wait(`fleetd does not answer: ${describe(stats)}`);
    const ps = await f.json(['ps'], psSchema);
    if (!ps) return new Wait('fleet ps failed');
    const managed = ps.agents.filter((a) => a.managed);
    const want = before ?? new Map(managed.map((a) => [a.name, null]));
    // the permanent seats reopen their conversations after the reboot
    const problem = judgeAgentsBack(want, managed, before ? ['orchestrator', 'enhancer'] : []);
    if (problem) return new Wait(problem);
    return new Map(managed.map((a) => [a.name, a.epoch]));
  });
}

/** The DAG as backlog cards, each worked for WORK_SECONDS by a stub worker. */
export async function createDag(f: ContainerFleet): Promise<void> {
  for (const c of DAG) {
    const args = ['backlog', 'create', '--id', c.id, '--title', `reboot card ${c.id}`];
    args.push('--body', `Survive the reboot. work: ${WORK_SECONDS}s`);
    if (c.deps.length) args.push('--depends-on', c.deps.join(','));
    const r = await f.json(args, createdSchema);
    if (!r) throw new RebootFailure(`fleet ${args.join(' ')} failed`);
  }
  progress(`dag: ${DAG.length} cards created (${DAG.map((c) => c.id).join(' ')})`);
}

const ownerName = (owner: string | null) => owner?.split('@')[0] ?? '';

/**
 * The moment to reboot: a card is already done (finished work must stay finished) and another
 * has just started being worked — its agent seen working on it now and not at the previous look,
 * so it is at most one look (~2 s) into its WORK_SECONDS. The stub is busy only while it works a
 * task; a claim still being delivered (reset, contract, prompt) is not mid-work, and a card seen
 * working for longer may finish during the shutdown: both are held, neither is `midWork`.
 */
export async function waitMidWork(f: ContainerFleet): Promise<Held[]> {
  let notWorkedBefore: Set<string> | null = null;
  return until(
    'a card done and another just started',
    240_000,
    async () => {
      const r = await f.json(['backlog', 'list'], cardsSchema);
      const ps = await f.json(['ps'], psSchema);
      if (!r || !ps) {
        // a look that failed says nothing about who was working: the next one starts afresh
        notWorkedBefore = null;
        return new Wait('fleet backlog list or fleet ps failed');
      }
      const cards = r.cards.filter((c) => DAG.some((d) => d.id === c.id));
      const working = new Set(
        ps.agents.filter((a) => a.readiness === 'working').map((a) => a.name),
      );
      const worked = (c: Card) => c.status === 'claimed' && working.has(ownerName(c.claim_owner));
      const done = cards.filter((c) => c.status === 'done').length;
      const held = cards
        .filter((c) => c.status === 'claimed')
        .map((c) => ({
          id: c.id,
          owner: c.claim_owner ?? '?',
          fence: c.fence,
          midWork: worked(c) && notWorkedBefore !== null && notWorkedBefore.has(c.id),
        }));
      notWorkedBefore = new Set(cards.filter((c) => !worked(c)).map((c) => c.id));
      if (!done || !held.some((h) => h.midWork))
        return new Wait(
          `${done} done, claimed: ${held.map((h) => h.id).join(' ') || 'none'}, working: ${[...working].join(' ') || 'none'}`,
        );
      return held;
    },
    200,
  );
}

export async function waitDagDone(f: ContainerFleet, timeoutMs: number): Promise<Card[]> {
  return until('every DAG card done', timeoutMs, async () => {
    const r = await f.json(['backlog', 'list'], cardsSchema);
    const cards = r?.cards.filter((c) => DAG.some((d) => d.id === c.id)) ?? [];
    const open = cards.filter((c) => c.status !== 'done');
    if (cards.length === DAG.length && !open.length) return cards;
    return new Wait(open.map((c) => `${c.id}:${c.status}`).join(' ') || 'cards missing');
  });
}

export async function dagEvents(f: ContainerFleet): Promise<CardEvent[]> {
  const r = await f.json(['backlog', 'events', '--limit', '10000'], eventsSchema);
  if (!r) throw new RebootFailure('fleet backlog events failed');
  return r.events.filter((e) => DAG.some((d) => d.id === e.card_id));
}

/** Nobody logged in: logind lists no session (the user manager runs by linger alone). */
export async function sessions(c: Container): Promise<string> {
  return rootMust(c, ['loginctl', 'list-sessions', '--no-legend']);
}
