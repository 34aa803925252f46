import { resolveAll } from '../lib/roster/resolve.js';
import type { Roster } from '../lib/roster/schema.js';

/** A plain aligned table; no colours so output is the same in a pipe. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export function rosterTable(roster: Roster): string {
  const rows = resolveAll(roster).map((a) => [
    a.name,
    a.class,
    a.role ?? '-',
    a.runtime,
    a.model ?? '-',
    a.yolo ? 'yes' : 'no',
    a.enabled ? 'yes' : 'no',
  ]);
  return table(['NAME', 'CLASS', 'ROLE', 'RUNTIME', 'MODEL', 'YOLO', 'ENABLED'], rows);
}
