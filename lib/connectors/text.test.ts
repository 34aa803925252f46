import { describe, expect, it } from 'vitest';
import { plainText, truncate } from './text.js';

describe('truncate', () => {
  it('keeps text within the limit as is and ends a cut with an ellipsis', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
  });
  it('counts UTF-16 units, and a cut never splits a surrogate pair', () => {
    expect(truncate('😀😀😀😀', 5)).toBe('😀😀…');
    expect(truncate('😀😀😀😀', 4)).toBe('😀…');
  });
});

describe('plainText', () => {
  it('puts the link on its own line and keeps it whole when cutting', () => {
    expect(plainText({ text: 'hi' }, 10)).toBe('hi');
    expect(plainText({ text: 'hi', link: 'http://l' }, 100)).toBe('hi\nhttp://l');
    expect(plainText({ text: 'abcdefghij', link: 'http://l' }, 14)).toBe('abcd…\nhttp://l');
    expect(plainText({ text: 'x'.repeat(50), link: 'http://l' }, 20)).toHaveLength(20);
  });
});
