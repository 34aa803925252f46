import { describeControlChar, findControlChar, normalizeLineBreaks } from '../control-chars.js';
import { usage } from '../errors.js';

/**
 * What may be typed into an agent. Text is delivered literally; control characters would act
 * as keys in a terminal (ETX interrupts, ESC starts a sequence), so they are refused with the
 * offending position rather than stripped. CRLF and lone CR become LF (a line break). The rule
 * is lib/control-chars.ts, shared with the card schemas so a stored card can always be typed.
 */
const MAX_TEXT_BYTES = 1024 * 1024;
/** Above this, or with a line break, text goes through a tmux buffer rather than argv. */
const LITERAL_MAX = 2048;

export function normalizeText(text: string): string {
  const t = normalizeLineBreaks(text);
  if (!t.length) throw usage('refusing to send empty text');
  if (Buffer.byteLength(t) > MAX_TEXT_BYTES) {
    throw usage(`text is ${Buffer.byteLength(t)} bytes; at most ${MAX_TEXT_BYTES} can be sent`);
  }
  const bad = findControlChar(t, '\n');
  if (bad) {
    throw usage(
      `text contains ${describeControlChar(bad)}; refusing to send it ` +
        '(it would act as a key in the terminal, not arrive as text)',
    );
  }
  return t;
}

export const needsBuffer = (text: string): boolean =>
  text.includes('\n') || text.length > LITERAL_MAX;

/** The label that tells the agent who is speaking: `[from host:operator] text`. */
export function labelled(text: string, source: string | null): string {
  return source ? `[from ${source}] ${text}` : text;
}
