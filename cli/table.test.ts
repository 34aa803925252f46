import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('keeps one row per line and shows control characters in cells', () => {
    const out = renderTable(
      ['NAME', 'TITLE'],
      [
        ['a\x1b[2J', 'line one\nline two'],
        ['b', 'ok'],
      ],
    );
    expect(out.split('\n')).toEqual([
      'NAME      TITLE',
      'a\\x1B[2J  line one\\nline two',
      'b         ok',
    ]);
  });
});
