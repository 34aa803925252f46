import { FleetError } from '../errors.js';
import { aider } from './aider.js';
import { claude } from './claude.js';
import { codex } from './codex.js';
import { gemini } from './gemini.js';
import { opencode } from './opencode.js';
import { pi } from './pi.js';
import { stub } from './stub.js';
import type { RuntimeAdapter } from './types.js';

/**
 * The shipped runtimes, one file each (docs/runtimes.md "Adding a runtime"). Flags follow
 * each CLI's own documentation; the screen patterns come from looking at each TUI started
 * without credentials (test/real-runtimes.ts).
 */
const SHIPPED: readonly RuntimeAdapter[] = [claude, codex, pi, opencode, gemini, aider, stub];

export interface RuntimeRegistry {
  readonly ids: readonly string[];
  list(): readonly RuntimeAdapter[];
  find(id: string): RuntimeAdapter | undefined;
  get(id: string): RuntimeAdapter;
}

/** A registry over a list of adapters; tests build their own with a runtime of their own. */
export function runtimeRegistry(adapters: readonly RuntimeAdapter[]): RuntimeRegistry {
  const byId = new Map<string, RuntimeAdapter>();
  for (const a of adapters) {
    if (byId.has(a.id)) throw new Error(`runtime "${a.id}" is registered twice`);
    byId.set(a.id, a);
  }
  const ids = adapters.map((a) => a.id);
  return {
    ids,
    list: () => adapters,
    find: (id) => byId.get(id),
    get: (id) => {
      const r = byId.get(id);
      if (!r) {
        throw new FleetError('NOT_FOUND', `unknown runtime "${id}" (known: ${ids.join(', ')})`);
      }
      return r;
    },
  };
}

export const runtimes: RuntimeRegistry = runtimeRegistry(SHIPPED);

export const RUNTIME_IDS: readonly string[] = runtimes.ids;

export function listRuntimes(): readonly RuntimeAdapter[] {
  return runtimes.list();
}

export function getRuntime(id: string): RuntimeAdapter {
  return runtimes.get(id);
}
