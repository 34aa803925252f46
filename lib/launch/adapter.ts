import type { ResolvedAgent } from '../roster/resolve.js';
import { customRuntime } from '../runtimes/custom.js';
import { runtimes, type RuntimeRegistry } from '../runtimes/registry.js';
import type { RuntimeAdapter } from '../runtimes/types.js';

/** The adapter for an agent: a registered one, or a plain one for a custom roster runtime. */
export function adapterFor(
  agent: Pick<ResolvedAgent, 'runtime' | 'command' | 'resetCommand'>,
  registry: RuntimeRegistry = runtimes,
): RuntimeAdapter {
  return (
    registry.find(agent.runtime) ??
    customRuntime(agent.runtime, { command: agent.command, resetCommand: agent.resetCommand })
  );
}

/** The roster's `runtimes.<id>.reset_command` wins over the adapter's. */
export function resetCommandFor(
  agent: ResolvedAgent,
  registry: RuntimeRegistry = runtimes,
): string {
  return agent.resetCommand ?? adapterFor(agent, registry).resetCommand;
}
