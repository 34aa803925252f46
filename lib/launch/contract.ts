import { createHash } from 'node:crypto';
import type { ResolvedAgent } from '../roster/resolve.js';
import type { ContractHandOver, NativeWiring, RuntimeAdapter } from '../runtimes/types.js';

/**
 * How an agent's contract reaches it at launch (docs/runtimes.md "Contract delivery"): through
 * its runtime's own mechanism (`runtime`: argv, env or a file the adapter's `contract` names),
 * or, for a runtime without one and for a roster `command`, as the first verified message once
 * it is idle (`message`), given again after each reset.
 */
export type ContractVia = 'runtime' | 'message';

export interface LaunchContract {
  /** run/<name>.contract.md */
  file: string;
  bytes: number;
  sha256: string;
  via: ContractVia;
}

/**
 * tmux refuses a client command over 16 KiB (its MAX_IMSGSIZE), and the pane's whole argv —
 * env assignments included — travels in one; a contract passed as text that would take more
 * than this goes as a message instead.
 */
export const CONTRACT_ARGV_MAX_BYTES = 8 * 1024;

function wiringBytes(w: NativeWiring): number {
  const words = [
    ...(w.argsFirst ?? []),
    ...(w.argsBefore ?? []),
    ...(w.argsAfter ?? []),
    ...Object.entries(w.env ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  return words.reduce((n, s) => n + Buffer.byteLength(s, 'utf8') + 1, 0);
}

/** The wiring that gives `text` to the agent's runtime, and which way it goes. */
export function contractWiring(
  adapter: RuntimeAdapter,
  agent: Pick<ResolvedAgent, 'command'>,
  c: ContractHandOver,
): { via: ContractVia; wiring: NativeWiring } {
  // a roster `command` replaces the adapter's program, and with it the flags it knows
  if (agent.command || !adapter.contract) return { via: 'message', wiring: {} };
  const wiring = adapter.contract(c);
  if (wiringBytes(wiring) > CONTRACT_ARGV_MAX_BYTES) return { via: 'message', wiring: {} };
  return { via: 'runtime', wiring };
}

export const sha256Hex = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/** Two wirings as one: argv in order, env merged (the later wins), files together. */
export function mergeWiring(a: NativeWiring, b: NativeWiring): NativeWiring {
  return {
    argsFirst: [...(a.argsFirst ?? []), ...(b.argsFirst ?? [])],
    argsBefore: [...(a.argsBefore ?? []), ...(b.argsBefore ?? [])],
    argsAfter: [...(a.argsAfter ?? []), ...(b.argsAfter ?? [])],
    env: { ...a.env, ...b.env },
    files: [...(a.files ?? []), ...(b.files ?? [])],
  };
}
