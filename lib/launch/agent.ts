import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { worktreesRoot } from '../repos/place.js';
import path from 'node:path';
import { composeContract } from '../contract/compose.js';
import { loadContractInput } from '../contract/load.js';
import { FleetError } from '../errors.js';
import type { FleetDeps } from '../fleet/deps.js';
import { mkdirPrivate, writeFileAtomic } from '../fsutil.js';
import { parseEnvFile } from '../roster/env.js';
import { operatorUmask } from '../umask.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { adapterFor } from './adapter.js';
import { envBinary, findExecutable, paneTerm } from './bin.js';
import { frameworkFile } from './framework-file.js';
import { contractWiring } from './contract.js';
import { markContractOwed } from './contract-owed.js';
import { buildLaunchSpec, type LaunchSpec } from './spec.js';
import { nextStart, readLaunchState, writeLaunchState } from '../run/launch-state.js';
import { clearSession, readSession, writeSession, type SessionRecord } from '../run/session.js';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { NativeWiring, RuntimeAdapter } from '../runtimes/types.js';
import { runtimeHasSession } from './session-file.js';
import { contractAlreadyHeld, planConversation, type ConversationPlan } from './resume.js';
import { withRunLock } from '../run/lock.js';
import { noteAgentEvent } from '../ops/timeline.js';
import type { StartReason } from '../timeline/rules.js';

export interface StartResult {
  name: string;
  epoch: number;
  spec: LaunchSpec;
  /** the conversation this start opened (null: the runtime cannot resume) */
  conversation: 'resumed' | 'fresh' | null;
}

function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return parseEnvFile(readFileSync(file, 'utf8'));
}

function assertWorkingDirectory(agent: ResolvedAgent): void {
  let ok = false;
  try {
    ok = statSync(agent.workingDirectory).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new FleetError(
      'NOT_FOUND',
      `agent ${agent.name}: working_directory ${agent.workingDirectory} does not exist or is not a directory`,
    );
  }
}

/**
 * The agent's contract, composed from FLEET_HOME's files (docs/contract.md). One that cannot be
 * composed (unknown role, over budget) stops this agent's launch before anything is written or
 * started, with one line naming the agent.
 */
export function launchContract(deps: FleetDeps, agent: ResolvedAgent): string {
  try {
    return composeContract(
      loadContractInput(deps.home, agent.name, { host: deps.host, loaded: deps.loaded }),
    ).text;
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new FleetError(
      e instanceof FleetError ? e.code : 'USAGE',
      `agent ${agent.name}: not started, its contract cannot be composed: ${why}`,
      { cause: e },
    );
  }
}

/**
 * After a reset: the contract to type again, when it reached the agent as a message (a reset
 * clears that); null when its runtime holds it at the system-prompt level, which a reset keeps
 * (docs/runtimes.md "Contract delivery").
 */
export function contractToRepeat(deps: FleetDeps, agent: ResolvedAgent): string | null {
  const text = launchContract(deps, agent);
  const file = deps.home.agentRunFile(agent.name, 'contract.md');
  return contractWiring(adapterFor(agent), agent, { file, text }).via === 'message' ? text : null;
}

function launchSpecFor(
  deps: FleetDeps,
  agent: ResolvedAgent,
  epoch: number,
  contract: string,
  conversation?: NativeWiring,
): LaunchSpec {
  return buildLaunchSpec({
    conversation,
    contract,
    worktreesDir: deps.loaded.roster.repos.length ? worktreesRoot(deps.home) : undefined,
    home: deps.home,
    agent,
    adapter: adapterFor(agent),
    epoch,
    socketName: deps.loaded.roster.tmux.socket_name,
    base: deps.env,
    envFile: readEnvFile(deps.home.agentEnv(agent.name)),
    nodePath: deps.nodePath,
    frameworkFile,
    fleetArgv: deps.fleetArgv,
    envBin: envBinary(),
    term: paneTerm(),
    umask: operatorUmask(),
    resolve: findExecutable,
  });
}

/** Another process (fleetd's supervisor, a concurrent `fleet up`) started the agent meanwhile. */
export class StartedElsewhere extends FleetError {
  constructor(readonly agent: string) {
    super('CONFLICT', `agent ${agent} was started by another process meanwhile`);
  }
}

/** How long a start waits for another start of the same agent (a start takes well under 1 s). */
const START_LOCK_WAIT_MS = 30_000;

/**
 * Start one agent in its own session `=name` on the fleet socket. The caller has checked that
 * no live session exists (see fleetUp); `restart` says whether this counts as a restart. Starts
 * of one agent are serialised by run/<name>.start.lock and the check is made again under it: a
 * start that finds a live session throws StartedElsewhere and changes nothing (its launch state
 * and epoch stay those of the running incarnation).
 */
export async function startAgent(
  deps: FleetDeps,
  agent: ResolvedAgent,
  restart = false,
  opts: StartOptions = {},
): Promise<StartResult> {
  return startLocked(deps, agent, async () => {
    const panes = await deps.tmux.listPanes();
    if (panes.some((p) => p.session === agent.name && !p.dead))
      throw new StartedElsewhere(agent.name);
    return launch(deps, agent, restart, {
      ...opts,
      reason: opts.reason ?? (restart ? 'crash' : 'start'),
    });
  });
}

export interface StartOptions {
  /** begin a new conversation even where the agent would resume its recorded one */
  fresh?: boolean;
  /** why, for the agent's timeline; default from the caller (a crash, a start, a restart) */
  reason?: StartReason;
  /** who asked, for the timeline; default the deps' actor */
  by?: string;
}

/** Run a start of one agent under its start lock (run/<name>.start.lock). */
function startLocked(
  deps: FleetDeps,
  agent: ResolvedAgent,
  fn: () => Promise<StartResult>,
): Promise<StartResult> {
  assertWorkingDirectory(agent);
  mkdirPrivate(deps.home.runDir);
  return withRunLock(
    deps.home.startLock(agent.name),
    `another start of ${agent.name}`,
    deps.now() + START_LOCK_WAIT_MS,
    deps,
    fn,
  );
}

/**
 * Which conversation this start opens (lib/launch/resume.ts), asking the runtime whether it
 * still has the recorded one under the HOME and variables the agent runs with.
 */
function conversationFor(
  agent: ResolvedAgent,
  adapter: RuntimeAdapter,
  record: SessionRecord | null,
  env: Readonly<Record<string, string>>,
  fresh: boolean,
): ConversationPlan {
  const place = { home: env.HOME ?? os.homedir(), cwd: agent.workingDirectory, env };
  return planConversation({
    agent,
    adapter,
    record,
    fresh,
    exists: (id) => runtimeHasSession(adapter, id, place),
    newId: randomUUID,
  });
}

async function launch(
  deps: FleetDeps,
  agent: ResolvedAgent,
  restart: boolean,
  opts: StartOptions = {},
): Promise<StartResult> {
  const prev = readLaunchState(deps.home, agent.name);
  const adapter = adapterFor(agent);
  const next = nextStart(prev, agent.runtime, new Date(deps.now()).toISOString(), restart);
  const heldBefore = readSession(deps.home, agent.name);
  // composed once: the first spec only tells the HOME and variables the runtime will run with
  const contract = launchContract(deps, agent);
  const plan = conversationFor(
    agent,
    adapter,
    heldBefore,
    launchSpecFor(deps, agent, next.epoch, contract).env,
    opts.fresh ?? false,
  );
  const state = {
    ...next,
    conversation: adapter.resume && !agent.command ? plan.conversation : null,
    conversation_note: plan.why,
  };
  const spec = launchSpecFor(deps, agent, state.epoch, contract, plan.wiring);
  // a runtime given --add-dir for the worktrees wants the directory to exist
  if (deps.loaded.roster.repos.length) mkdirSync(worktreesRoot(deps.home), { recursive: true });
  for (const f of spec.files) {
    mkdirPrivate(path.dirname(f.path));
    writeFileAtomic(f.path, f.content, f.mode ?? 0o600);
  }
  // the epoch is recorded before the process exists, so its first heartbeat is never "newer"
  writeLaunchState(deps.home, agent.name, state);
  if (plan.record === 'clear') clearSession(deps.home, agent.name);
  else if (plan.record !== 'keep')
    writeSession(deps.home, agent.name, {
      ...plan.record,
      epoch: state.epoch,
      at: new Date(deps.now()).toISOString(),
    });
  // a conversation that was recorded and could not be reopened is worth a line; the rest is in
  // run/<name>.launch.json, `fleet ps` and the start's result
  if (plan.conversation === 'fresh' && plan.why && heldBefore && !opts.fresh)
    deps.log(`${agent.name}: fresh conversation: ${plan.why}`);
  // a resumed conversation that holds this contract is not given it again
  const owed =
    spec.contract?.via === 'message' && !contractAlreadyHeld(plan, heldBefore, spec.contract.sha256)
      ? spec.contract.file
      : null;
  // the debt is recorded before the process exists: the dispatcher may see the agent idle the
  // moment its first heartbeat lands, and must type no card before the contract
  if (owed && deps.spawnDetached && deps.fleetArgv) markContractOwed(deps, agent.name, state.epoch);
  await deps.tmux.newSession({
    name: agent.name,
    argv: spec.paneArgv,
    cwd: spec.cwd,
    userOptions: { '@mosaic_epoch': String(state.epoch), '@mosaic_runtime': agent.runtime },
  });
  // the timeline's record of this epoch: written once the session exists, never failing it
  await noteAgentEvent(deps, {
    agent: agent.name,
    kind: 'started',
    epoch: state.epoch,
    reason: opts.reason ?? (restart ? 'crash' : 'start'),
    actor: opts.by ?? deps.actor ?? 'fleet',
    detail: state.conversation ? { conversation: state.conversation } : {},
  });
  if (owed) sendContractWhenIdle(deps, agent, owed, state.epoch);
  return { name: agent.name, epoch: state.epoch, spec, conversation: state.conversation };
}

/**
 * A runtime with no contract mechanism of its own (or a roster `command`) gets its contract as
 * its first verified message once idle (docs/runtimes.md "Contract delivery"). The debt was
 * recorded before the launch, so the dispatcher types no card before it; a detached sender gives
 * it, so neither `fleet up` nor the supervisor waits for the agent to be up.
 */
function sendContractWhenIdle(
  deps: FleetDeps,
  agent: ResolvedAgent,
  file: string,
  epoch: number,
): void {
  if (!deps.spawnDetached || !deps.fleetArgv) {
    deps.log(`${agent.name}: contract not sent (fleet CLI path unknown); it is in ${file}`);
    return;
  }
  const argv = [...deps.fleetArgv, 'agent', 'give-contract', agent.name, '--epoch', String(epoch)];
  deps.spawnDetached(argv, deps.env);
}

/** Stop one agent on purpose: kill its session and remember that it was stopped. */
export async function stopAgent(deps: FleetDeps, name: string): Promise<boolean> {
  // remembered before the kill: a supervisor tick that sees the session gone must also see why,
  // or it starts the agent again
  const prev = readLaunchState(deps.home, name);
  if (prev.epoch > 0 && !prev.stopped)
    writeLaunchState(deps.home, name, { ...prev, stopped: true });
  return deps.tmux.killSession(name);
}

/** Kill (if present) and start again under a new epoch; counted as a restart. */
export async function restartAgent(
  deps: FleetDeps,
  agent: ResolvedAgent,
  opts: StartOptions = {},
): Promise<StartResult> {
  // the kill and the start under one start lock: a supervisor tick that sees the session gone
  // in between waits for the lock and then finds the new incarnation (StartedElsewhere)
  return startLocked(deps, agent, async () => {
    await deps.tmux.killSession(agent.name);
    return launch(deps, agent, true, {
      ...opts,
      reason: opts.reason ?? (opts.fresh ? 'fresh' : 'operator'),
    });
  });
}
