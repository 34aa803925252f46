/**
 * fleetd writes the heartbeat of every agent on this host whose runtime does not write one
 * itself (docs/runtimes.md "Heartbeats"): each agent at its own interval, read off its screen.
 * The rules are in lib/heartbeat/screen-beat.ts; this is the IO around them. A round makes one
 * `list-panes -a` call for pids and dead panes, then one capture call per 50 due panes.
 */
import { readHeartbeat, writeHeartbeat } from '@/lib/run/heartbeat.js';
import { readLaunchState } from '@/lib/run/launch-state.js';
import { beatDue, heartbeatWriter, screenBeat } from '@/lib/heartbeat/screen-beat.js';
import { adapterFor } from '@/lib/launch/adapter.js';
import { pidAlive } from '@/lib/launch/pid.js';
import type { FleetHome } from '@/lib/home.js';
import { rosterReader } from '@/lib/roster/load.js';
import { resolveAll, type ResolvedAgent } from '@/lib/roster/resolve.js';
import { execFileRunner } from '@/lib/runner.js';
import { tmuxClientEnv } from '@/lib/tmux/argv.js';
import { Tmux } from '@/lib/tmux/client.js';
import { firstPaneBySession } from '@/lib/tmux/panes.js';
import type { Component, Log } from '../maintenance.js';

export interface ScreenBeatConfig {
  home: FleetHome;
  /** fleetd's environment, for the tmux client (TMUX_TMPDIR, PATH) */
  env: NodeJS.ProcessEnv;
  /** this host: only its agents are read */
  host: string;
  log: Log;
  now?: () => number;
}

export interface BeatRound {
  /** agents whose heartbeat was written this round */
  written: string[];
  /** agents looked at and left alone, with why */
  skipped: { name: string; why: string }[];
}

/** Rounds come at least this often (a new agent's first heartbeat) and at most this often. */
const MAX_WAIT_MS = 5_000;
const MIN_WAIT_MS = 200;
const NO_PANE_MS = 2_000;

export class ScreenBeat {
  private readonly roster: () => ReturnType<ReturnType<typeof rosterReader>>;
  /** when each agent was last looked at, and whether it had a live pane then */
  private readonly lastLook = new Map<string, { at: number; live: boolean }>();
  private tmux: Tmux | null = null;
  private rosterError: string | null = null;
  private readonly now: () => number;

  constructor(private readonly c: ScreenBeatConfig) {
    this.roster = rosterReader(c.home.roster);
    this.now = c.now ?? Date.now;
  }

  /** The local roster agents fleetd beats for; empty when the roster cannot be read. */
  private agents(): { agents: ResolvedAgent[]; socket: string | null; holder?: string } {
    let roster;
    try {
      roster = this.roster();
    } catch (e) {
      const why = (e as Error).message.split('\n')[0]!;
      if (why !== this.rosterError) this.c.log(`screen heartbeat: roster unreadable: ${why}`);
      this.rosterError = why;
      return { agents: [], socket: null };
    }
    this.rosterError = null;
    const agents = resolveAll(roster, this.c.host).filter(
      (a) => a.host === this.c.host && !a.ssh && heartbeatWriter(adapterFor(a), a) === 'fleetd',
    );
    return { agents, socket: roster.tmux.socket_name, holder: roster.tmux.holder_session };
  }

  private tmuxFor(socket: string, holder: string | undefined): Tmux {
    if (this.tmux?.socket.name !== socket)
      this.tmux = new Tmux({
        socket: { name: socket },
        holder,
        runner: execFileRunner,
        env: tmuxClientEnv(this.c.env),
        timeoutMs: Number(this.c.env.FLEET_TMUX_TIMEOUT_MS) || 5_000,
      });
    return this.tmux;
  }

  /**
   * An agent is looked at every interval; one without a live pane every NO_PANE_MS at most,
   * so an agent just started gets its first heartbeat soon, and one stopped costs little.
   */
  private everyMs(a: ResolvedAgent, live: boolean): number {
    const interval = a.heartbeatIntervalSeconds * 1000;
    return live ? interval : Math.min(interval, NO_PANE_MS);
  }

  /** How long until the next agent is due (bounded), for the component's timer. */
  waitMs(): number {
    const { agents } = this.agents();
    const now = this.now();
    let wait = MAX_WAIT_MS;
    for (const a of agents) {
      const last = this.lastLook.get(a.name);
      wait = Math.min(wait, last === undefined ? 0 : last.at + this.everyMs(a, last.live) - now);
    }
    return Math.max(MIN_WAIT_MS, wait);
  }

  /** One round: every due agent read and its heartbeat written, or left alone with a reason. */
  async round(): Promise<BeatRound> {
    const out: BeatRound = { written: [], skipped: [] };
    const { agents, socket, holder } = this.agents();
    const now = this.now();
    const due = agents.filter((a) => {
      const last = this.lastLook.get(a.name);
      return beatDue(last?.at, this.everyMs(a, last?.live ?? false) / 1000, now);
    });
    for (const name of this.lastLook.keys())
      if (!agents.some((a) => a.name === name)) this.lastLook.delete(name);
    if (!due.length || !socket) return out;
    const tmux = this.tmuxFor(socket, holder);
    const panes = firstPaneBySession(await tmux.listPanes());
    const live = due.filter((a) => {
      const p = panes.get(a.name);
      return p && !p.dead && p.pid !== null;
    });
    for (const a of due) this.lastLook.set(a.name, { at: now, live: live.includes(a) });
    const views = live.length ? await tmux.viewMany(live.map((a) => a.name)) : new Map();
    for (const a of due) {
      const listed = panes.get(a.name) ?? null;
      const beat = screenBeat({
        listed,
        seen: views.get(a.name) ?? null,
        pidAlive: listed?.pid ? pidAlive(listed.pid) : false,
        launchEpoch: readLaunchState(this.c.home, a.name).epoch,
        current: readHeartbeat(this.c.home, a.name),
        patterns: adapterFor(a).screen,
        nowMs: this.now(),
      });
      if ('write' in beat) {
        writeHeartbeat(this.c.home, a.name, beat.write);
        out.written.push(a.name);
      } else out.skipped.push({ name: a.name, why: beat.skip });
    }
    return out;
  }
}

/** The screen heartbeat as a fleetd component: rounds on a timer until stopped. */
export function screenBeatComponent(cfg: ScreenBeatConfig): Component & { beat: ScreenBeat } {
  const beat = new ScreenBeat(cfg);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let failing: string | null = null;
  const run = () => {
    if (stopped) return;
    running = beat
      .round()
      .then(
        () => (failing = null),
        (e: unknown) => {
          const why = (e as Error)?.message ?? String(e);
          // said once per distinct failure (a tmux server that is down says it every round)
          if (why !== failing) cfg.log(`screen heartbeat: ${why}`);
          failing = why;
        },
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(run, beat.waitMs());
      });
  };
  return {
    name: 'screen-heartbeat',
    beat,
    start: async () => {
      timer = setTimeout(run, 0);
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
