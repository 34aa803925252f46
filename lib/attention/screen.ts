/**
 * What a runtime's screen says a human must do (pure; docs/runtimes.md "Attention"): log in
 * again, wait out a usage limit, answer a permission prompt, or answer something else. The
 * adapter's `screen.attention` patterns name the first three; `question` is the runtime's
 * generic `waiting` reading (lib/screen.ts classifyScreen) when none of them matched.
 */
import { escapeControls } from '../control-chars.js';
import type { RuntimeAdapter } from '../runtimes/types.js';
import { classifyScreen } from '../screen.js';
import { parseResetTime } from './reset-time.js';

export interface ScreenAttention {
  reason: 'permission' | 'question' | 'rate_limited' | 'auth_failed';
  /**
   * the lines that show it: the matching line with up to 6 lines around it, trailing blanks
   * trimmed, at most 1500 chars, control characters escaped
   */
  evidence: string;
  /** epoch ms when a rate limit resets, when the screen says; else null */
  resetAt: number | null;
}

const DEFAULT_TAIL = 15;
const AROUND = 6;
export const MAX_EVIDENCE = 1500;

/**
 * The last `tail` lines, trailing blank rows ignored: the window lib/screen.ts tests its
 * patterns on (its helper is private to it; this is the same few lines, keeping the offset).
 */
function tailWindow(lines: readonly string[], tail: number): { start: number; text: string } {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  const start = Math.max(0, end - Math.max(1, tail));
  return { start, text: lines.slice(start, end).join('\n') };
}

/** A pattern's last match in `text` (its own flags kept, `g` added to walk the matches). */
function lastMatch(text: string, re: RegExp): number | null {
  const walk = new RegExp(re.source, re.flags.replace(/[gy]/g, '') + 'g');
  let at: number | null = null;
  for (let m = walk.exec(text); m; m = walk.exec(text)) {
    // a match that starts with line breaks belongs to the line after them
    at = m.index + (/^\n*/.exec(m[0])?.[0].length ?? 0);
    if (m[0] === '') walk.lastIndex++;
  }
  return at;
}

/** The window's line (index into `lines`) holding text offset `at`. */
function lineOf(w: { start: number; text: string }, at: number): number {
  return w.start + (w.text.slice(0, at).match(/\n/g)?.length ?? 0);
}

/**
 * Where the first pattern (in the adapter's order, most telling first) that matches the window
 * matches lowest, as an index into `lines`; null when none does.
 */
function firstPatternLine(
  lines: readonly string[],
  tail: number,
  patterns: readonly RegExp[] | undefined,
): number | null {
  const w = tailWindow(lines, tail);
  for (const re of patterns ?? []) {
    const at = lastMatch(w.text, re);
    if (at !== null) return lineOf(w, at);
  }
  return null;
}

/** The lowest line any of the patterns matches in the window, or null. */
function lowestLine(
  lines: readonly string[],
  tail: number,
  patterns: readonly RegExp[],
): number | null {
  const w = tailWindow(lines, tail);
  let best: number | null = null;
  for (const re of patterns) {
    const at = lastMatch(w.text, re);
    if (at !== null && (best === null || at > best)) best = at;
  }
  return best === null ? null : lineOf(w, best);
}

/** Rows `from..to` around line `at`, blank rows at either end dropped (never row `at`). */
function around(lines: readonly string[], at: number): { rows: string[]; hit: number } {
  let from = Math.max(0, at - AROUND);
  let to = Math.min(lines.length - 1, at + AROUND);
  while (from < at && lines[from]!.trim() === '') from++;
  while (to > at && lines[to]!.trim() === '') to--;
  return { rows: lines.slice(from, to + 1).map((l) => l.replace(/\s+$/, '')), hit: at - from };
}

/** Escaped rows, the ones farthest from the hit dropped first until they fit MAX_EVIDENCE. */
function evidenceText(rows: readonly string[], hit: number): string {
  let shown = rows.map((r) => escapeControls(r));
  let h = hit;
  const size = () => shown.reduce((n, r) => n + r.length, 0) + shown.length - 1;
  while (shown.length > 1 && size() > MAX_EVIDENCE) {
    if (h >= shown.length - 1 - h) {
      shown = shown.slice(1);
      h--;
    } else shown = shown.slice(0, -1);
  }
  const text = shown.join('\n');
  return text.length > MAX_EVIDENCE ? `${text.slice(0, MAX_EVIDENCE - 1)}…` : text;
}

/** The reset time, read from the hit line onwards first (older times above it are not it). */
function resetAtFrom(rows: readonly string[], hit: number, nowMs: number, tz?: string) {
  const below = rows.slice(hit).join(' ');
  return parseResetTime(below, nowMs, tz) ?? parseResetTime(rows.join(' '), nowMs, tz);
}

/**
 * What needs a human on this screen, or null. Order: auth > rate_limited > permission >
 * question. A limit or login message with the runtime busy again below it is history, not a
 * need (a permission prompt drawn over a spinner still is one, as in lib/screen.ts).
 */
export function readAttention(
  lines: readonly string[],
  adapter: RuntimeAdapter,
  nowMs: number,
  timeZone?: string,
): ScreenAttention | null {
  const screen = adapter.screen;
  const a = screen.attention;
  const tail = a?.tail ?? DEFAULT_TAIL;
  const busyAt = lowestLine(lines, screen.tail ?? DEFAULT_TAIL, screen.busy);
  const checks = [
    ['auth_failed', a?.auth],
    ['rate_limited', a?.rateLimit],
    ['permission', a?.permission],
  ] as const;
  for (const [reason, patterns] of checks) {
    const at = firstPatternLine(lines, tail, patterns);
    if (at === null) continue;
    if (reason !== 'permission' && busyAt !== null && busyAt > at) continue;
    const { rows, hit } = around(lines, at);
    return {
      reason,
      evidence: evidenceText(rows, hit),
      resetAt: reason === 'rate_limited' ? resetAtFrom(rows, hit, nowMs, timeZone) : null,
    };
  }
  if (classifyScreen(lines, screen) !== 'waiting') return null;
  const at = lowestLine(lines, screen.tail ?? DEFAULT_TAIL, screen.waiting) ?? lastNonBlank(lines);
  const { rows, hit } = around(lines, at);
  return { reason: 'question', evidence: evidenceText(rows, hit), resetAt: null };
}

function lastNonBlank(lines: readonly string[]): number {
  let i = lines.length - 1;
  while (i > 0 && lines[i]!.trim() === '') i--;
  return Math.max(0, i);
}
