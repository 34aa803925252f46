import { oneLine } from '../lib/terminal-text.js';

/**
 * Plain aligned columns for terminal output. Each cell is one line with its control characters
 * shown (lib/terminal-text.ts): a name or title with a newline, tab or escape sequence can
 * neither break the columns nor act on the terminal.
 */
export function renderTable(
  rawHeaders: readonly string[],
  rawRows: readonly (readonly string[])[],
): string {
  const headers = rawHeaders.map(oneLine);
  const rows = rawRows.map((r) => r.map(oneLine));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export const dash = (v: unknown): string =>
  v === null || v === undefined || v === '' ? '-' : String(v);

export function age(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}
