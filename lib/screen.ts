import type { ScreenPatterns } from './runtimes/types.js';
import type { ScreenState } from './readiness.js';

/**
 * Reading a runtime's screen (pure). Patterns are tried against the last lines of the visible
 * screen; trailing blank rows are ignored. Waiting wins over busy over idle: a permission
 * prompt drawn over a busy spinner is still a question for a human.
 */
const DEFAULT_TAIL = 15;

function tailText(lines: readonly string[], tail: number): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(Math.max(0, end - tail), end).join('\n');
}

export function classifyScreen(lines: readonly string[], p: ScreenPatterns): ScreenState | null {
  const text = tailText(lines, p.tail ?? DEFAULT_TAIL);
  if (!text) return null;
  if (p.waiting.some((r) => r.test(text))) return 'waiting';
  if (p.busy.some((r) => r.test(text))) return 'busy';
  if (p.idle.some((r) => r.test(text))) return 'idle';
  return null;
}

/**
 * What sits in the runtime's input line: the text after the prompt on the LAST line that
 * matches the adapter's input pattern (group 1), trimmed of box borders and spaces.
 * `null` when no input line is recognisable on the screen.
 */
export function inputText(lines: readonly string[], p: ScreenPatterns): string | null {
  const re = p.input;
  if (!re) return null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = re.exec(lines[i]!);
    if (m) return (m[1] ?? '').replace(/[│┃|]\s*$/u, '').trim();
  }
  return null;
}

/** Was `sent` typed into the input? Compare the end of the text with the end of the input. */
export function inputShows(input: string | null, lines: readonly string[], sent: string): boolean {
  const flat = sent.replace(/\s+/g, ' ').trim();
  const tail = flat.slice(-24);
  if (!tail) return false;
  if (input !== null && input.replace(/\s+/g, ' ').endsWith(tail)) return true;
  // a long input wraps past the prompt's row: its end is the last non-blank row
  const last = tailText(lines, 1).replace(/\s+/g, ' ').trim();
  if (last.length >= tail.length) return last.endsWith(tail);
  return last.length >= 8 && flat.endsWith(last);
}
