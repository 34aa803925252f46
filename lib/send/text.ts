import { usage } from '../errors.js';

/**
 * What may be typed into an agent. Text is delivered literally; control characters would act
 * as keys in a terminal (ETX interrupts, ESC starts a sequence), so they are refused with the
 * offending position rather than stripped. CRLF and lone CR become LF (a line break).
 */
export const MAX_TEXT_BYTES = 1024 * 1024;
/** Above this, or with a line break, text goes through a tmux buffer rather than argv. */
export const LITERAL_MAX = 2048;

export function normalizeText(text: string): string {
  const t = text.replace(/\r\n?/g, '\n');
  if (!t.length) throw usage('refusing to send empty text');
  if (Buffer.byteLength(t) > MAX_TEXT_BYTES) {
    throw usage(`text is ${Buffer.byteLength(t)} bytes; at most ${MAX_TEXT_BYTES} can be sent`);
  }
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/.exec(t);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase();
    throw usage(
      `text contains control character U+${code} at offset ${bad.index}; refusing to send it ` +
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
