import { describe, expect, it } from 'vitest';
import {
  describeControlChar,
  escapeControls,
  findControlChar,
  normalizeLineBreaks,
} from './control-chars.js';

describe('the control-character rule', () => {
  it('finds C0, DEL and C1 controls with their offset, and nothing in printable text', () => {
    expect(findControlChar('ab\x03c')).toEqual({ code: 0x03, offset: 2 });
    expect(findControlChar('\x00')).toEqual({ code: 0, offset: 0 });
    expect(findControlChar('x\x7f')).toEqual({ code: 0x7f, offset: 1 });
    expect(findControlChar('é\x9b2J')).toEqual({ code: 0x9b, offset: 1 });
    expect(findControlChar('plain text, Café, 日本語, 🚀, \u00a0, \u2028')).toBeNull();
    // U+00A0 is the first code point after C1: printable
    expect(findControlChar('\u00a0\u009f')).toEqual({ code: 0x9f, offset: 1 });
  });

  it('lets a field allow line breaks, or line breaks and tabs, and nothing else', () => {
    expect(findControlChar('a\nb')).toEqual({ code: 0x0a, offset: 1 });
    expect(findControlChar('a\nb', '\n')).toBeNull();
    expect(findControlChar('a\n\tb', '\n')).toEqual({ code: 0x09, offset: 2 });
    expect(findControlChar('a\n\tb', '\n\t')).toBeNull();
    expect(findControlChar('a\n\tb\r', '\n\t')).toEqual({ code: 0x0d, offset: 4 });
  });

  it('describes the character by code point, offset and name', () => {
    expect(describeControlChar({ code: 0x1b, offset: 4 })).toBe(
      'control character U+001B at offset 4 (ESC)',
    );
    expect(describeControlChar({ code: 0x03, offset: 0 })).toBe(
      'control character U+0003 at offset 0 (ETX)',
    );
    expect(describeControlChar({ code: 0x7f, offset: 1 })).toBe(
      'control character U+007F at offset 1 (DEL)',
    );
    expect(describeControlChar({ code: 0x9b, offset: 2 })).toBe(
      'control character U+009B at offset 2 (CSI)',
    );
  });

  it('reads CRLF and lone CR as LF', () => {
    expect(normalizeLineBreaks('a\r\nb\rc\n')).toBe('a\nb\nc\n');
  });

  it('writes controls out as \\xNN for text quoted back, keeping what is allowed', () => {
    expect(escapeControls('a\x1b[2Jb\x9b\x00')).toBe('a\\x1B[2Jb\\x9B\\x00');
    expect(escapeControls('line\nnext\t🚀', '\n')).toBe('line\nnext\\x09🚀');
    expect(findControlChar(escapeControls('\x01\x7f\x85'))).toBeNull();
  });
});
