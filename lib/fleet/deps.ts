import type { FleetHome } from '../home.js';
import type { LoadedRoster } from '../roster/load.js';
import type { Runner } from '../runner.js';
import type { AgentEventSink } from '../timeline/contract.js';
import type { Tmux } from '../tmux/client.js';

/**
 * Everything the fleet's lifecycle, ps and send need from the outside world, built once at a
 * composition root (cli/ for the CLI, server/ for fleetd) and injected.
 */
export interface FleetDeps {
  home: FleetHome;
  loaded: LoadedRoster;
  tmux: Tmux;
  /** this host's name; agents whose roster host differs are not started here */
  host: string;
  /** env of the launching process: only its allowlisted keys reach agents */
  env: NodeJS.ProcessEnv;
  /** how agents, hooks and the contract sender call this fleet CLI: [node, /…/dist/fleet.cjs] */
  fleetArgv?: string[];
  nodePath: string;
  /** runs systemctl/loginctl (boot-enable checks) */
  systemd?: Runner;
  /** start a process that outlives this one (the first-message contract sender) */
  spawnDetached?(argv: readonly string[], env: NodeJS.ProcessEnv): void;
  /**
   * where an agent's starts, takeovers and releases are recorded for its timeline
   * (lib/ops/timeline.ts): fleetd's store, or its socket from a CLI; none, nothing is recorded
   */
  agentEvents?: AgentEventSink;
  /** who acts through these deps when the caller names nobody (an operator, `supervisor`) */
  actor?: string;
  now(): number;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}
