import { resolveAll } from '../lib/roster/resolve.js';
import { renderTable } from './table.js';
import type { Roster } from '../lib/roster/schema.js';

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
  return renderTable(['NAME', 'CLASS', 'ROLE', 'RUNTIME', 'MODEL', 'YOLO', 'ENABLED'], rows);
}
