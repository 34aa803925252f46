/**
 * A web takeover's private session (docs/security.md "web takeover"). A tmux client is a full
 * tmux client: through the prefix key it opens tmux's command prompt (`run-shell`,
 * `switch-client` to another agent), switches sessions and opens windows with a shell. The keys
 * that reach tmux itself — `prefix`, `prefix2`, `key-table`, `mouse` — are session options, so
 * the browser's client attaches to a session of its own, grouped with the agent's (the same
 * window, the same pane), where none of them is set: every key goes to the pane. The agent's
 * own session, and the CLI viewers attached to it, keep their options.
 *
 * Pure helpers; lib/tmux/client.ts runs them.
 */
import { randomBytes } from 'node:crypto';
import { isAgentName } from '../names.js';
import { paneTarget, sessionTarget } from './argv.js';
import type { PaneInfo } from './panes.js';

/**
 * Agent names start with a lowercase letter (lib/names.ts), so a private name can never be an
 * agent's, and `fleet up` can never collide with one. `_` names are the fleet's own (`_holder`).
 */
const TAKEOVER_PREFIX = '_mf-takeover-';
const SUFFIX_RE = /-[0-9a-f]{8}$/;

/**
 * A key table nothing is bound in: tmux creates it empty on first use (measured on 3.3a), so
 * even a root-table binding added at run time on the fleet's server does not apply.
 */
export const TAKEOVER_KEY_TABLE = 'mf-takeover-unbound';

export function takeoverSessionName(agent: string, suffix?: string): string {
  if (!isAgentName(agent)) throw new Error(`not an agent name: ${JSON.stringify(agent)}`);
  const s = suffix ?? randomBytes(4).toString('hex');
  if (!/^[0-9a-f]{8}$/.test(s)) throw new Error(`bad takeover suffix: ${JSON.stringify(s)}`);
  return `${TAKEOVER_PREFIX}${agent}-${s}`;
}

/** Anything with the prefix is the fleet's own, never listed as an agent or unmanaged session. */
export const isTakeoverSession = (session: string): boolean => session.startsWith(TAKEOVER_PREFIX);

/** The agent a private session was made for, or null when the name is not one of ours. */
export function takeoverAgentOf(session: string): string | null {
  if (!isTakeoverSession(session) || !SUFFIX_RE.test(session)) return null;
  const agent = session.slice(TAKEOVER_PREFIX.length).replace(SUFFIX_RE, '');
  return isAgentName(agent) ? agent : null;
}

export interface TakeoverSpec {
  agent: string;
  /** from takeoverSessionName() */
  session: string;
  /** the agent session's `status` (on, off, 2…5), so the client draws as many rows */
  status?: string;
}

/**
 * The tmux commands a takeover PTY runs, as one invocation (so one atomic step in the server):
 *
 * - `has-session` first: `new-session -t =<missing>` does not fail, it makes a new group with a
 *   shell in it (measured on 3.3a); in a sequence, a failed command stops the rest.
 * - the session is locked down before the client attaches: no key can arrive in between.
 * - `detach-on-destroy on`: when the session goes, the client exits instead of moving to
 *   another session (another agent).
 * - `destroy-unattached on` only once attached: tmux checks it whenever any client goes (every
 *   `tmux` command is one), which would destroy a session not yet attached.
 * - no `-x/-y` and `-f ignore-size`: the agent's window is pinned to `window-size manual`
 *   (docs/pitfalls.md), so neither the session nor the browser resizes it.
 */
export function takeoverCommands(spec: TakeoverSpec): string[][] {
  if (takeoverAgentOf(spec.session) !== spec.agent) {
    throw new Error(`${spec.session} is not a takeover session of ${spec.agent}`);
  }
  const t = paneTarget(spec.session);
  const set = (option: string, value: string): string[] => ['set-option', '-t', t, option, value];
  const status =
    spec.status && /^(on|off|[2-5])$/.test(spec.status) ? [set('status', spec.status)] : [];
  return [
    ['has-session', '-t', sessionTarget(spec.agent)],
    ['new-session', '-d', '-t', sessionTarget(spec.agent), '-s', spec.session],
    set('prefix', 'None'),
    set('prefix2', 'None'),
    set('key-table', TAKEOVER_KEY_TABLE),
    set('mouse', 'off'),
    set('detach-on-destroy', 'on'),
    ...status,
    ['attach-session', '-f', 'ignore-size', '-t', sessionTarget(spec.session)],
    set('destroy-unattached', 'on'),
  ];
}

/**
 * Private sessions are not agents: drop them from a pane listing, counting each one's client as
 * a viewer of the agent it shows (the `clients` column of `fleet ps`).
 */
export function hideTakeoverSessions(panes: readonly PaneInfo[]): PaneInfo[] {
  const viewers = new Map<string, number>();
  const seen = new Set<string>();
  for (const p of panes) {
    if (!isTakeoverSession(p.session) || seen.has(p.session)) continue;
    seen.add(p.session);
    const agent = takeoverAgentOf(p.session);
    if (agent) viewers.set(agent, (viewers.get(agent) ?? 0) + p.attached);
  }
  return panes
    .filter((p) => !isTakeoverSession(p.session))
    .map((p) => {
      const extra = viewers.get(p.session);
      return extra ? { ...p, attached: p.attached + extra } : p;
    });
}

/** One row of `list-windows -a -F WINDOW_FORMAT`. */
export interface SessionWindow {
  session: string;
  windowId: string;
}

/** A space, not a tab: neither a session name here nor a window id holds one. */
export const WINDOW_FORMAT = '#{window_id} #{session_name}';

export function parseSessionWindows(stdout: string): SessionWindow[] {
  const out: SessionWindow[] = [];
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    out.push({ windowId: line.slice(0, sp), session: line.slice(sp + 1) });
  }
  return out;
}

export interface AgentSessions {
  /** the agent session's windows: killing them kills them in every session grouped with it */
  windows: string[];
  /** private sessions that show the agent's window (live takeovers) */
  live: string[];
  /**
   * private sessions made for this agent that no longer show its window: the agent session was
   * killed by hand (`kill-session` leaves a window that another session holds, and its process,
   * alive — measured on 3.3a) and perhaps started again. A new takeover grouped with the new
   * session would be merged into the old group and shown the old window (measured), so these
   * go first.
   */
  stale: string[];
}

export function agentSessions(agent: string, rows: readonly SessionWindow[]): AgentSessions {
  const windows = rows.filter((r) => r.session === agent).map((r) => r.windowId);
  const mine = new Set(windows);
  const live = new Set<string>();
  const others = new Set<string>();
  for (const r of rows) {
    if (takeoverAgentOf(r.session) !== agent) continue;
    if (mine.has(r.windowId)) live.add(r.session);
    else others.add(r.session);
  }
  return {
    windows,
    live: [...live],
    stale: [...others].filter((s) => !live.has(s)),
  };
}
