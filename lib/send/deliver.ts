import { FleetError } from '../errors.js';
import type { FleetDeps } from '../fleet/deps.js';
import { isGone, observeAgent } from '../fleet/observe.js';
import { readHeartbeat, readHookStatus } from '../run/heartbeat.js';
import { adapterFor } from '../launch/adapter.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import type { RuntimeAdapter } from '../runtimes/types.js';
import { classifyScreen, inputShows, inputText } from '../screen.js';
import type { PaneView } from '../tmux/panes.js';
import { withSendLock } from '../run/lock.js';
import { dequeue, enqueue, listQueue } from '../run/queue.js';
import { describeTakeover, readTakeover } from '../run/takeover.js';
import { labelled, needsBuffer, normalizeText } from './text.js';
import {
  sendVerdict,
  type AfterEnter,
  type SendObservations,
  type SendVerdict,
} from './verdict.js';

export interface SendRequest {
  agent: ResolvedAgent;
  text: string;
  /** `[from <source>]` label; null sends the text bare (reset commands, drained queue) */
  source: string | null;
  verify: boolean;
  /** how long typing and verifying may take */
  timeoutMs: number;
  /** how long to wait for a takeover to end or (--when-idle) for the agent to be idle */
  waitMs: number;
  /** type even while an operator holds a takeover (reset --force) */
  ignoreTakeover?: boolean;
  /** deliver only when the agent is available (idle at its prompt) */
  whenIdle: boolean;
  /** a message that cannot be typed before the timeout is kept in run/queue/ */
  queueOnDefer: boolean;
  /**
   * also keep it when the agent's session is not there (starting, restarting): for messages
   * that must not be lost, such as the operator's from a chat; fleetd delivers it once the
   * agent is available again
   */
  queueWhenDown?: boolean;
}

export interface SendReceipt {
  agent: string;
  tenant_id: string;
  host: string;
  /** `sent` = typed and Enter pressed without --verify (no receipt asked for) */
  verdict: SendVerdict | 'sent';
  detail: string;
  source: string | null;
  chars: number;
  epoch: number | null;
  queued_id: string | null;
  elapsed_ms: number;
}

/**
 * The wait between looks at the screen. Each look is one tmux client started from this process,
 * which costs more than the wait saves (docs/pitfalls.md "Cost").
 */
const POLL_MS = 100;

/** Why the text cannot be typed now, or the screen seen when it can (null: not looked at). */
type Blocker = { why: string } | { view: PaneView | null };

async function blocker(deps: FleetDeps, req: SendRequest): Promise<Blocker> {
  const t = req.ignoreTakeover ? null : readTakeover(deps.home, req.agent.name, deps.host);
  if (t) return { why: `operator takeover by ${describeTakeover(t)}` };
  if (!req.whenIdle) return { view: null };
  const now = await observeAgent(deps, req.agent);
  if (now.readiness !== 'available') return { why: `agent is ${now.readiness}, not idle` };
  return { view: now.view };
}

function afterEnter(
  deps: FleetDeps,
  req: SendRequest,
  adapter: RuntimeAdapter,
  typed: PaneView,
  v: PaneView,
  sentAt: number,
): AfterEnter {
  const input = inputText(v.lines, adapter.screen);
  const reports = [
    readHeartbeat(deps.home, req.agent.name),
    readHookStatus(deps.home, req.agent.name),
  ];
  const reportedBusy = reports.some((r) => r && r.status === 'busy' && r.ts >= sentAt);
  return {
    input: input === null ? 'unknown' : input === '' ? 'empty' : 'has_text',
    changed: v.lines.join('\n') !== typed.lines.join('\n'),
    busy: reportedBusy || classifyScreen(v.lines, adapter.screen) === 'busy',
  };
}

/** Type (literal or via a buffer) and, with verify, poll for the evidence of each step. */
async function typeAndVerify(
  deps: FleetDeps,
  req: SendRequest,
  message: string,
  deadline: number,
  seen: PaneView | null,
): Promise<SendObservations & { epoch: number | null }> {
  const { tmux } = deps;
  const name = req.agent.name;
  const adapter = adapterFor(req.agent);
  // the screen the idle check just read, under the same lock: nothing was typed since
  let view = seen ?? (await tmux.view(name));
  if (view.dead)
    return { failed: 'the pane is dead', typedSeen: false, after: null, epoch: view.epoch };
  if (view.inMode) {
    await tmux.cancelMode(name); // copy-mode swallows keys (docs/pitfalls.md)
    view = await tmux.view(name);
  }
  const draft = inputText(view.lines, adapter.screen);
  if (draft) return { draft, typedSeen: false, after: null, epoch: view.epoch };
  const sentAt = deps.now();
  if (needsBuffer(message)) await tmux.paste(name, message);
  else await tmux.sendLiteral(name, message);
  if (!req.verify) {
    await tmux.sendKey(name, 'Enter');
    return { typedSeen: true, after: null, epoch: view.epoch };
  }
  let typed = view;
  let shown = false;
  for (;;) {
    typed = await tmux.view(name);
    if (inputShows(inputText(typed.lines, adapter.screen), typed.lines, message)) shown = true;
    if (shown || deps.now() >= deadline) break;
    await deps.sleep(POLL_MS);
  }
  if (!shown) return { draft: '', typedSeen: false, after: null, epoch: view.epoch };
  await tmux.sendKey(name, 'Enter');
  let obs: SendObservations = { draft: '', typedSeen: true, after: null };
  for (;;) {
    await deps.sleep(POLL_MS);
    const v = await tmux.view(name);
    obs = { ...obs, after: afterEnter(deps, req, adapter, typed, v, sentAt) };
    if (sendVerdict(obs) === 'submitted' || deps.now() >= deadline) break;
  }
  return { ...obs, epoch: view.epoch };
}

const DETAIL: Record<SendVerdict, string> = {
  submitted: 'typed, Enter pressed, and the agent took it',
  queued: 'not typed yet; kept in the queue',
  typed_not_submitted: 'typed, but it still sits in the input after Enter',
  refused_draft: 'the input already holds a draft; nothing was typed (never merged)',
  no_evidence: 'nothing on the screen shows the text arrived or was taken',
  send_failed: 'could not type into the pane',
};

/**
 * Deliver one message to one agent: wait (up to the timeout) while an operator holds a
 * takeover or, for --when-idle, while the agent is not available; then, serialised per agent,
 * refuse a draft, type the text literally, press Enter separately and read the verdict.
 */
export async function sendVerified(deps: FleetDeps, req: SendRequest): Promise<SendReceipt> {
  const started = deps.now();
  const waitUntil = started + req.waitMs;
  const text = normalizeText(req.text);
  const source = req.source === null ? null : normalizeText(req.source);
  const message = labelled(text, source);
  const receipt = (
    verdict: SendVerdict | 'sent',
    detail: string,
    epoch: number | null = null,
    queued_id: string | null = null,
  ): SendReceipt => ({
    agent: req.agent.name,
    tenant_id: req.agent.tenantId,
    host: req.agent.host,
    verdict,
    detail,
    source,
    chars: message.length,
    epoch,
    queued_id,
    elapsed_ms: deps.now() - started,
  });
  try {
    for (;;) {
      // the takeover and idle checks are made under the lock, right before typing, so no other
      // send types between them and this one; a blocked check lets the lock go while it waits
      const lockUntil = Math.max(waitUntil, deps.now() + req.timeoutMs);
      const step = await withSendLock(
        deps.home,
        req.agent.name,
        lockUntil,
        deps.now,
        deps.sleep,
        async () => {
          const b = await blocker(deps, req);
          if ('why' in b) return b;
          return typeAndVerify(deps, req, message, deps.now() + req.timeoutMs, b.view);
        },
      );
      if (!('why' in step)) {
        if (!req.verify && !step.failed && !step.draft)
          return receipt('sent', 'typed and Enter pressed (not verified)', step.epoch);
        const v = sendVerdict(step);
        const extra =
          step.failed ?? (step.draft ? `draft: ${JSON.stringify(step.draft.slice(0, 80))}` : '');
        return receipt(v, extra ? `${DETAIL[v]} (${extra})` : DETAIL[v], step.epoch);
      }
      const b = step;
      if (deps.now() >= waitUntil) {
        if (!req.queueOnDefer) return receipt('queued', `${DETAIL.queued} (${b.why})`);
        const q = enqueue(
          deps.home,
          {
            agent: req.agent.name,
            text: message,
            source: source ?? '',
            whenIdle: req.whenIdle,
            queuedAt: new Date(deps.now()).toISOString(),
          },
          deps.now(),
        );
        return receipt(
          'queued',
          `${b.why}; kept in run/queue/${req.agent.name}/ for fleetd or the end of the takeover`,
          null,
          q.id,
        );
      }
      await deps.sleep(250);
    }
  } catch (e) {
    if (isGone(e)) {
      const why = `no session "${req.agent.name}" on socket ${deps.loaded.roster.tmux.socket_name}`;
      if (!req.queueWhenDown) return receipt('send_failed', why);
      const q = enqueue(
        deps.home,
        {
          agent: req.agent.name,
          text: message,
          source: source ?? '',
          whenIdle: req.whenIdle,
          queuedAt: new Date(deps.now()).toISOString(),
        },
        deps.now(),
      );
      return receipt(
        'queued',
        `${why}; kept in run/queue/${req.agent.name}/ for fleetd`,
        null,
        q.id,
      );
    }
    if (e instanceof FleetError && e.code === 'USAGE') throw e;
    return receipt('send_failed', e instanceof Error ? e.message : String(e));
  }
}

/** Deliver queued messages oldest first; stops at the first one that does not go through. */
export async function drainQueue(
  deps: FleetDeps,
  agent: ResolvedAgent,
  timeoutMs: number,
): Promise<SendReceipt[]> {
  const out: SendReceipt[] = [];
  for (const m of listQueue(deps.home, agent.name)) {
    const r = await sendVerified(deps, {
      agent,
      text: m.text,
      source: null,
      verify: true,
      timeoutMs,
      waitMs: 0,
      whenIdle: m.whenIdle,
      queueOnDefer: false,
    });
    out.push(r);
    if (r.verdict !== 'submitted') break;
    dequeue(deps.home, agent.name, m.id);
  }
  return out;
}
