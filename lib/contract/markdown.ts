import { normalizeLineBreaks } from '../control-chars.js';
import { expandTabs } from '../supervisor/prompt.js';
import { terminalSafe } from '../terminal-text.js';

/**
 * Text helpers for the contract's Markdown. Everything in a contract ends up in an agent's
 * context, typed or pasted into a TUI by the delivery step, so text from the roster, the library
 * or NORTH_STAR.yaml is made inert here: tabs become spaces (a tab is a key in a TUI,
 * lib/supervisor/prompt.ts), and control characters are written out as escapes
 * (lib/terminal-text.ts). Pure.
 */

/** Free text that keeps its lines. */
export function prose(text: string): string {
  return terminalSafe(expandTabs(normalizeLineBreaks(text)), { newlines: true }).trim();
}

/** Text that must stay on one line: runs of whitespace (line breaks included) become one space. */
export function flat(text: string): string {
  return terminalSafe(text.replace(/\s+/g, ' ').trim());
}

/** A table cell: one line, with the pipe that would end the cell escaped. */
export function cell(text: string): string {
  return flat(text).replace(/\|/g, '\\|') || '—';
}

/** An inline code span whose fence is longer than any backtick run inside it. */
export function code(text: string): string {
  const t = flat(text);
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A GitHub-style table; cells are escaped here. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(head.map(cell)),
    line(head.map(() => '---')),
    ...rows.map((r) => line(r.map(cell))),
  ].join('\n');
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word as a POSIX shell reads it back unchanged (single quotes unless it is plainly safe). */
export function shellWord(word: string): string {
  return SHELL_SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
