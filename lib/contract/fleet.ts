import { isScalar } from 'yaml';
import type { LoadedRoster } from '../roster/load.js';
import { resolveAll, type ResolvedAgent } from '../roster/resolve.js';

/** A place in the roster file, 1-based like the roster's own errors. */
export interface SourcePos {
  line: number;
  column: number;
}

/** The roster as a contract needs it: resolved agents in roster order, and where things are written. */
export interface ContractFleet {
  /** the roster file, named in errors */
  file: string;
  socketName: string;
  agents: readonly ResolvedAgent[];
  /** where each agent's `role:` is written, by agent name */
  roleAt: ReadonlyMap<string, SourcePos>;
}

function posAt(text: string, offset: number): SourcePos {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * The fleet as seen from `localHost`: agents without a `host:` run there. Pure: the roster is
 * already read and parsed (lib/roster/load.ts).
 */
export function contractFleet(loaded: LoadedRoster, localHost: string): ContractFleet {
  const agents = resolveAll(loaded.roster, localHost);
  const roleAt = new Map<string, SourcePos>();
  agents.forEach((a, i) => {
    const node = loaded.doc.getIn(['agents', i, 'role'], true);
    const offset = isScalar(node) ? node.range?.[0] : undefined;
    if (offset !== undefined) roleAt.set(a.name, posAt(loaded.text, offset));
  });
  return { file: loaded.file, socketName: loaded.roster.tmux.socket_name, agents, roleAt };
}
