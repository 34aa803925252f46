/**
 * The one rule for control characters in text that ends up in an agent's terminal: card fields
 * (lib/store/contract.ts, refused when a card is written) and every message typed into a pane
 * (lib/send/text.ts, refused when it is sent). One function, so a card that was accepted can
 * always be delivered. Typed literally into a terminal, C0 and C1 controls act as keys (U+0003
 * interrupts, ESC and U+009B start escape sequences) instead of arriving as text. Pure.
 */

/** Control characters a field may hold: none, line breaks, or line breaks and tabs. */
export type Allowed = '' | '\n' | '\n\t';

export interface ControlChar {
  /** the character's code point, U+0000–U+001F, U+007F or U+0080–U+009F */
  code: number;
  /** its index in the string (UTF-16 code units, as JavaScript counts) */
  offset: number;
}

const C0 =
  'NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US'.split(
    ' ',
  );
const C1 =
  'PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 DCS PU1 PU2 STS CCH MW SPA EPA SOS SGC SCI CSI ST OSC PM APC'.split(
    ' ',
  );

export function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** The first control character not in `allowed`, or null when the text is clean. */
export function findControlChar(text: string, allowed: Allowed = ''): ControlChar | null {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isControl(code) && !allowed.includes(text[i]!)) return { code, offset: i };
  }
  return null;
}

function controlName(code: number): string {
  if (code <= 0x1f) return C0[code]!;
  if (code === 0x7f) return 'DEL';
  return C1[code - 0x80] ?? '?';
}

/** `control character U+001B at offset 4 (ESC)`: names the character and where it sits. */
export function describeControlChar(c: ControlChar): string {
  const hex = c.code.toString(16).toUpperCase().padStart(4, '0');
  return `control character U+${hex} at offset ${c.offset} (${controlName(c.code)})`;
}

/** CRLF and lone CR become LF: a pasted Windows text keeps its lines, not its carriage returns. */
export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * The text with every control character outside `allowed` written out as `\xNN`, for text
 * fleetd quotes back to an agent (a card title in an escalation, a failure reason) that was
 * stored before this rule existed or comes from a command's output.
 */
export function escapeControls(text: string, allowed: Allowed = ''): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out +=
      ch.length === 1 && isControl(code) && !allowed.includes(ch)
        ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
        : ch;
  }
  return out;
}
