import type { ResolvedAgent } from '../roster/resolve.js';
import { findRuntime } from '../runtimes/registry.js';
import type { RuntimeAdapter } from '../runtimes/types.js';

/** The adapter for an agent: a shipped one, or a plain one for a custom runtime with a command. */
export function adapterFor(
  agent: Pick<ResolvedAgent, 'runtime' | 'command' | 'resetCommand'>,
): RuntimeAdapter {
  const known = findRuntime(agent.runtime);
  if (known) return known;
  return {
    id: agent.runtime,
    title: `custom runtime ${agent.runtime}`,
    bin: agent.command?.[0] ?? agent.runtime,
    resetCommand: agent.resetCommand ?? '/clear',
    supportsModel: false,
    supportsYolo: false,
    supportsChannels: false,
    nativeState: 'heartbeat',
    processNames: [],
    args: () => [],
    screen: { idle: [], busy: [], waiting: [] },
  };
}

export function resetCommandFor(agent: ResolvedAgent): string {
  return agent.resetCommand ?? adapterFor(agent).resetCommand;
}
