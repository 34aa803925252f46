import { describe, expect, it } from 'vitest';
import { jsonSafe, multiLine, oneLine, terminalSafe } from './terminal-text.js';

const ESC = '\x1b';
const BEL = '\x07';

/** true when a terminal would act on something in `s` */
const hasControl = (s: string) =>
  [...s].some(
    (ch) =>
      /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(ch) && ch !== '\n' && ch !== '\t',
  );

describe('terminalSafe', () => {
  it('shows escape sequences instead of passing them to the terminal', () => {
    const title = `fix ${ESC}]52;c;cm0gLXJmIH4=${BEL} now ${ESC}[2J${ESC}[H`;
    const safe = oneLine(title);
    expect(safe).toBe('fix \\x1B]52;c;cm0gLXJmIH4=\\x07 now \\x1B[2J\\x1B[H');
    expect(safe).not.toContain(ESC);
    expect(safe).not.toContain(BEL);
  });

  it('renders C1 controls, DEL, NUL and bidi overrides visibly', () => {
    expect(oneLine('a\u009b31mb\u007fc\u0000d\u0085e')).toBe('a\\x9B31mb\\x7Fc\\x00d\\x85e');
    expect(oneLine('invoice\u202egnp.exe')).toBe('invoice\\u202Egnp.exe');
    expect(oneLine('x\u2028y\u2066z')).toBe('x\\u2028y\\u2066z');
  });

  it('keeps newlines and tabs only where the layout asks for them', () => {
    expect(oneLine('a\nb\tc\rd')).toBe('a\\nb\\tc\\rd');
    expect(multiLine('a\nb\tc')).toBe('a\nb\tc');
    // a CR can rewrite the line it is on; CRLF is just a line end
    expect(multiLine('ok\rFAKE\r\nnext')).toBe('ok\\rFAKE\nnext');
    expect(terminalSafe('a\nb', { tabs: true })).toBe('a\\nb');
  });

  it('leaves ordinary text, including non-ASCII, exactly as it is', () => {
    for (const s of ['', 'plain', 'ünïcödé — “quotes” 日本語 🚀', 'back\\slash']) {
      expect(oneLine(s)).toBe(s);
    }
  });

  it('never lets a control character through, for every code unit below 0xA0', () => {
    let all = '';
    for (let c = 0; c < 0xa0; c++) all += String.fromCharCode(c);
    expect(hasControl(oneLine(all))).toBe(false);
    expect(hasControl(multiLine(all))).toBe(false);
  });
});

describe('jsonSafe', () => {
  it('is the same JSON value with nothing raw for a terminal', () => {
    const value = { title: `t${ESC}[2J\u009b\u007f\u2028\u202e${BEL}`, n: 1 };
    const text = jsonSafe(JSON.stringify(value, null, 2));
    expect(JSON.parse(text)).toEqual(value);
    expect(hasControl(text)).toBe(false);
    expect(text).toContain('\\u009B');
  });
});
