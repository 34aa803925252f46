import type { RuntimeAdapter } from './types.js';

/**
 * A runtime declared in the roster (`runtimes.<id>.command`) rather than shipped: the fleet
 * knows only its command and reset command, so it launches the command as given (the roster's
 * `command` always wins, lib/launch/spec.ts), reads nothing on its screen and leaves the
 * heartbeat to fleetd's screen heartbeat (which says `ok` for it).
 */
export function customRuntime(
  id: string,
  o: { command?: readonly string[]; resetCommand?: string },
): RuntimeAdapter {
  return {
    id,
    title: `custom runtime ${id}`,
    bin: o.command?.[0] ?? id,
    resetCommand: o.resetCommand ?? '/clear',
    supportsModel: false,
    supportsYolo: false,
    supportsChannels: false,
    nativeState: 'heartbeat',
    processNames: [],
    args: () => [],
    screen: { idle: [], busy: [], waiting: [] },
  };
}
