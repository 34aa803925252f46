import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { registerAgentContract } from './agent-contract.js';
import { registerAgentRoster } from './agent-roster.js';
import { registerInit } from './init.js';
import { registerLibrary } from './library.js';
import { registerNorthStar } from './northstar.js';
import { registerRoster } from './roster.js';
import { registerServe } from './serve.js';
import { registerPause } from './pause.js';
import { registerDrain } from './drain.js';
import { registerUpdate } from './update.js';
import { registerInbox } from './inbox.js';
import { registerReview } from './review.js';
import { registerWorktree } from './worktree.js';
import { registerConnector } from './connector.js';
import { registerPlan } from './plan.js';
import { registerSupervisor } from './supervisor.js';
import { registerBacklog } from './backlog.js';
import { registerDb } from './db.js';
import { tmuxFleetCommands } from './tmux-fleet.js';
import { registerUser } from './user.js';

/** Every top-level command registers itself here; one file per command under cli/. */
export type Register = (program: Command, ctx: CliContext) => void;

export const commands: Register[] = [
  registerInit,
  registerRoster,
  registerAgentRoster,
  registerAgentContract,
  registerLibrary,
  registerNorthStar,
  registerServe,
  registerPause,
  registerDrain,
  registerUpdate,
  registerInbox,
  registerConnector,
  registerPlan,
  registerSupervisor,
  registerBacklog,
  registerReview,
  registerWorktree,
  registerDb,
  ...tmuxFleetCommands,
  registerUser,
];
