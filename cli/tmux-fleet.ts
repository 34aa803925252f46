import { registerAgentReset } from './agent-reset.js';
import { registerAgentSend } from './agent-send.js';
import { registerAgentGiveContract, registerAgentSidecar } from './agent-sidecar.js';
import { registerAgentStatus } from './agent-status.js';
import { registerAgentTail } from './agent-tail.js';
import { registerAgentWatch } from './agent-watch.js';
import type { Register } from './commands.js';
import { registerDown } from './down.js';
import { registerHook } from './hook.js';
import { registerPs } from './ps.js';
import { registerRestart } from './restart.js';
import { registerStatus } from './status.js';
import { registerSystemd } from './systemd.js';
import { registerTmuxServer } from './tmux-server.js';
import { registerUp } from './up.js';
import { registerVerify } from './verify.js';

/** The durable tmux fleet's commands: lifecycle, ps, agent verbs, hooks, systemd. */
export const tmuxFleetCommands: Register[] = [
  registerUp,
  registerDown,
  registerRestart,
  registerStatus,
  registerVerify,
  registerPs,
  registerTmuxServer,
  registerSystemd,
  registerHook,
  registerAgentWatch,
  registerAgentSend,
  registerAgentReset,
  registerAgentTail,
  registerAgentStatus,
  registerAgentSidecar,
  registerAgentGiveContract,
];
