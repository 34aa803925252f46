/**
 * Text that reaches the operator's terminal: card titles, agent and session names, pane lines,
 * error messages. Any of it can come from another party (an agent, a card author, a process that
 * named itself), and a terminal obeys control characters: ESC starts sequences that clear the
 * screen, retitle the window or write the clipboard (OSC 52), BEL rings, C1 bytes such as U+009B
 * are CSI on some terminals, and bidi overrides reorder what is shown (docs/security.md "Text
 * that reaches a terminal"). Every control character is rendered visibly instead, as an escape
 * a reader recognises (`\x1B`, `\u202E`, as lib/control-chars.ts writes them); only the
 * layout's own tab and newline pass.
 */

export interface TerminalTextOptions {
  /** keep LF (and turn CRLF into LF): multi-line text such as a card body or a YAML listing */
  newlines?: boolean;
  /** keep TAB */
  tabs?: boolean;
}

const NAMED: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

/** C0, DEL, C1, the line/paragraph separators and the bidi embedding/override/isolate marks. */
export function isControl(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function visible(code: number): string {
  const named = NAMED[code];
  if (named) return named;
  const hex = code.toString(16).toUpperCase();
  return code <= 0xff ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}

/** `text` with every control character shown as an escape, except the layout's own. */
export function terminalSafe(text: string, opts: TerminalTextOptions = {}): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isControl(code)) continue;
    if (code === 0x0a && opts.newlines) continue;
    if (code === 0x09 && opts.tabs) continue;
    if (code === 0x0d && opts.newlines && text.charCodeAt(i + 1) === 0x0a) {
      out += text.slice(from, i);
      from = i + 1;
      continue;
    }
    out += text.slice(from, i) + visible(code);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** One table cell or one field on a line: nothing may break or shift the layout. */
export const oneLine = (text: string): string => terminalSafe(text);

/** Free text with its own lines (a card body, a listing, an error with a log tail). */
export const multiLine = (text: string): string =>
  terminalSafe(text, { newlines: true, tabs: true });

/**
 * JSON text with the characters JSON.stringify leaves raw (DEL, C1, U+2028/9, bidi marks)
 * written as \u escapes: the same JSON value, and nothing a terminal would act on.
 */
export function jsonSafe(json: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    // JSON.stringify escapes everything below 0x20 itself; layout newlines of pretty-printing stay
    if (code < 0x20 || !isControl(code)) continue;
    out += json.slice(from, i) + `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    from = i + 1;
  }
  return from === 0 ? json : out + json.slice(from);
}
