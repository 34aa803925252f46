import type { ResolvedAgent } from '../roster/resolve.js';
import type { SessionRecord } from '../run/session.js';
import type { NativeWiring, RuntimeAdapter } from '../runtimes/types.js';

/**
 * Which conversation a start opens (docs/runtimes.md "Resume"). Pure: the launcher hands in the
 * record, the runtime's own view of whether it still has that conversation, and a fresh id.
 */
export interface ConversationPlan {
  conversation: 'resumed' | 'fresh';
  /** the conversation id the runtime runs on, when known at launch */
  id: string | null;
  /** argv/env that open it (the adapter's `resume` or `start`) */
  wiring: NativeWiring;
  /** why a start is fresh although the agent resumes (nothing recorded, the runtime lost it…) */
  why: string | null;
  /**
   * what run/<name>.session.json becomes: a record to write, `keep` the one there, or `clear`
   * (the runtime will report its new conversation, or cannot resume at all)
   */
  record: Omit<SessionRecord, 'epoch' | 'at'> | 'keep' | 'clear';
}

export interface ConversationInput {
  agent: Pick<ResolvedAgent, 'runtime' | 'command' | 'resume' | 'workingDirectory'>;
  adapter: Pick<RuntimeAdapter, 'resume'>;
  record: SessionRecord | null;
  /** the operator asked for a new conversation (`fleet restart --fresh`) */
  fresh: boolean;
  /** the runtime still has the recorded conversation (ResumeSupport.exists, with IO) */
  exists(id: string | null): boolean;
  newId(): string;
}

function freshStart(i: ConversationInput, why: string | null): ConversationPlan {
  const support = i.adapter.resume!;
  const base = { runtime: i.agent.runtime, cwd: i.agent.workingDirectory, contract_sha256: null };
  if (support.id === 'assigned' && support.start) {
    const id = i.newId();
    return {
      conversation: 'fresh',
      id,
      wiring: support.start(id),
      why,
      record: { ...base, id, source: 'launch' },
    };
  }
  if (support.id === 'latest')
    return {
      conversation: 'fresh',
      id: null,
      wiring: {},
      why,
      record: { ...base, id: null, source: 'launch' },
    };
  return { conversation: 'fresh', id: null, wiring: {}, why, record: 'clear' };
}

/** Why the record cannot be reopened by this start, or null when it can. */
function unusable(i: ConversationInput, r: SessionRecord | null): string | null {
  const support = i.adapter.resume!;
  if (!r) return 'no conversation recorded yet';
  if (r.runtime !== i.agent.runtime)
    return `the recorded conversation is ${r.runtime}'s, the agent now runs ${i.agent.runtime}`;
  if (r.cwd !== i.agent.workingDirectory)
    return `the recorded conversation was in ${r.cwd}, the agent now works in ${i.agent.workingDirectory}`;
  if (r.id === null && support.id !== 'latest') return 'no conversation id was reported';
  if (!i.exists(r.id))
    return r.id === null
      ? `${i.agent.runtime} has no conversation in ${r.cwd}`
      : `${i.agent.runtime} no longer has conversation ${r.id}`;
  return null;
}

export function planConversation(i: ConversationInput): ConversationPlan {
  const support = i.adapter.resume;
  // a roster `command` replaces the program, and with it the flags the adapter knows
  if (!support || i.agent.command)
    return { conversation: 'fresh', id: null, wiring: {}, why: null, record: 'clear' };
  if (i.fresh) return freshStart(i, 'a new conversation was asked for');
  if (!i.agent.resume) return freshStart(i, null);
  const r = i.record;
  const why = unusable(i, r);
  if (why !== null) return freshStart(i, why);
  return {
    conversation: 'resumed',
    id: r!.id,
    wiring: support.resume(r!.id),
    why: null,
    record: 'keep',
  };
}

/**
 * Whether a contract that goes as a message is typed after this start: not into a resumed
 * conversation that already holds this very contract (docs/runtimes.md "Contract delivery").
 */
export function contractAlreadyHeld(
  plan: Pick<ConversationPlan, 'conversation'>,
  record: SessionRecord | null,
  sha256: string,
): boolean {
  return plan.conversation === 'resumed' && record?.contract_sha256 === sha256;
}
