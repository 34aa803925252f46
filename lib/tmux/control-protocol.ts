/**
 * tmux control mode, the pure half (docs/pitfalls.md "Control mode"): how a command list
 * is written as one line a control client reads, and how its replies are read back. The
 * process that carries them is lib/tmux/control.ts.
 */

/** Bytes written as themselves inside a double-quoted word; every other byte is `\ooo`. */
const PLAIN = /^[A-Za-z0-9 _.,:/=+@-]$/;

/**
 * One argument as a tmux double-quoted word. Every byte outside a small plain set is an octal
 * escape, so nothing in it is read by tmux's parser: no `$` or `~` expansion, no `#` comment,
 * no `;` or braces, no quote or backslash, and no newline (a line is one command list, and an
 * empty line ends the control client).
 */
export function controlWord(arg: string): string {
  let out = '"';
  for (const b of Buffer.from(arg, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += b < 0x80 && PLAIN.test(ch) ? ch : `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

const COMMAND_NAME = /^[a-z][a-z-]*$/;

/** A command list as one control-mode line (no trailing newline); null when it cannot be one. */
export function controlLine(commands: readonly (readonly string[])[]): string | null {
  if (!commands.length) return null;
  const parts: string[] = [];
  for (const [name, ...args] of commands) {
    if (!name || !COMMAND_NAME.test(name)) return null;
    if (args.some((a) => a.includes('\0'))) return null;
    parts.push([name, ...args.map(controlWord)].join(' '));
  }
  return parts.join(' ; ');
}

/** One command's reply: its output lines, and whether it failed (`%error`). */
export interface ControlBlock {
  /** the command came from this client (flags bit 1); other blocks are tmux's own */
  mine: boolean;
  ok: boolean;
  lines: string[];
}

const BEGIN = /^%begin (\d+) (\d+) (\d+)$/;

/**
 * Reads a control client's output. A reply is `%begin <time> <number> <flags>`, its lines, and
 * `%end` or `%error` with the same three fields: a pane's text that holds a line like `%end …`
 * ends nothing unless it repeats that command's own time and number. Lines between replies are
 * notifications (`%session-changed`, `%exit` …); only `%exit` matters here.
 */
export class ControlReader {
  private partial = '';
  private open: { tail: string; mine: boolean; lines: string[] } | null = null;
  exited = false;

  /** Feed decoded output; returns the replies it completed, in order. */
  feed(text: string): ControlBlock[] {
    const out: ControlBlock[] = [];
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const open = this.open;
      if (open) {
        if (line === `%end ${open.tail}` || line === `%error ${open.tail}`) {
          out.push({ mine: open.mine, ok: line.startsWith('%end'), lines: open.lines });
          this.open = null;
        } else open.lines.push(line);
        continue;
      }
      const m = BEGIN.exec(line);
      if (m)
        this.open = { tail: `${m[1]} ${m[2]} ${m[3]}`, mine: (Number(m[3]) & 1) === 1, lines: [] };
      else if (line === '%exit' || line.startsWith('%exit ')) this.exited = true;
    }
    return out;
  }
}
