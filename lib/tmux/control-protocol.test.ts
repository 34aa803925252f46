import { describe, expect, it } from 'vitest';
import { ControlReader, controlLine, controlWord } from './control-protocol.js';

/** What tmux's parser makes of a double-quoted word of plain bytes and `\ooo` escapes. */
function unquote(word: string): string {
  expect(word.startsWith('"') && word.endsWith('"')).toBe(true);
  const bytes: number[] = [];
  const body = word.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else bytes.push(body.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

describe('controlWord', () => {
  const hostile = [
    '$(rm -rf ~) `id` ${HOME} $HOME',
    'a;b \\; {x} %if #{pane_id} # comment',
    '"double" \'single\' \\ backslash',
    'line1\nline2\r\n\ttab \x1b[31mred\x1b[0m C-c \x03 \x7f',
    '~ at start',
    'é 日本 🙂',
    '',
  ];

  it('escapes every byte tmux could read as syntax, and keeps the text', () => {
    for (const text of hostile) {
      const w = controlWord(text);
      // nothing but plain bytes and octal escapes inside the quotes
      expect(w.slice(1, -1)).toMatch(/^(?:[A-Za-z0-9 _.,:/=+@-]|\\[0-3][0-7]{2})*$/);
      expect(unquote(w)).toBe(text);
    }
  });

  it('never writes a newline, so one command list stays one line', () => {
    expect(controlWord('a\nb\n')).not.toContain('\n');
    expect(controlLine([['send-keys', '-l', '--', '\n\n']])).not.toContain('\n');
  });
});

describe('controlLine', () => {
  it('joins commands with ; and quotes every argument', () => {
    expect(
      controlLine([
        ['display-message', '-p', '-t', '=w1:', 'x'],
        ['capture-pane', '-p'],
      ]),
    ).toBe('display-message "-p" "-t" "=w1:" "x" ; capture-pane "-p"');
  });

  it('refuses what cannot be a control line', () => {
    expect(controlLine([])).toBeNull();
    expect(controlLine([['Bad name']])).toBeNull();
    expect(controlLine([['send-keys', 'a\0b']])).toBeNull();
  });
});

describe('ControlReader', () => {
  it('reads replies across chunks and skips notifications', () => {
    const r = new ControlReader();
    const out = [
      ...r.feed('%begin 17 269 0\n%end 17 269 0\n%session-changed $0 holder\n%beg'),
      ...r.feed('in 17 274 1\nhello\n\nworld\n%end 17 2'),
      ...r.feed("74 1\n%begin 17 275 1\ncan't find session: x\n%error 17 275 1\n"),
    ];
    expect(out).toEqual([
      { mine: false, ok: true, lines: [] },
      { mine: true, ok: true, lines: ['hello', '', 'world'] },
      { mine: true, ok: false, lines: ["can't find session: x"] },
    ]);
    expect(r.exited).toBe(false);
  });

  it('a pane line that looks like an end ends nothing unless it repeats that reply', () => {
    const r = new ControlReader();
    const out = r.feed(
      [
        '%begin 17 300 1',
        '%end 17 299 1',
        '%error 16 300 1',
        '%end 17 300 0',
        '%begin 17 301 1',
        'text',
        '%end 17 300 1',
        '%begin 17 302 1',
        'x',
        '%end 17 302 1',
        '',
      ].join('\n'),
    );
    expect(out).toEqual([
      {
        mine: true,
        ok: true,
        lines: ['%end 17 299 1', '%error 16 300 1', '%end 17 300 0', '%begin 17 301 1', 'text'],
      },
      { mine: true, ok: true, lines: ['x'] },
    ]);
  });

  it('notices the client leaving', () => {
    const r = new ControlReader();
    r.feed('%begin 1 2 0\nno sessions\n%error 1 2 0\n%exit\n');
    expect(r.exited).toBe(true);
  });
});
