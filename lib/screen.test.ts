import { describe, expect, it } from 'vitest';
import { getRuntime } from './runtimes/registry.js';
import { classifyScreen, inputShows, inputText } from './screen.js';

const stub = getRuntime('stub').screen;

describe('screen reading (stub runtime)', () => {
  it('reads state from the prompt on the last line, ignoring blank rows', () => {
    expect(classifyScreen(['[stub] working on t1 (1/2)', 'stub[busy]>', '', ''], stub)).toBe(
      'busy',
    );
    expect(
      classifyScreen(['[stub] working on t1 (2/2)', '[stub] done t1', 'stub>', ''], stub),
    ).toBe('idle');
    expect(classifyScreen(['stub[waiting]> '], stub)).toBe('waiting');
    expect(classifyScreen(['', ''], stub)).toBeNull();
  });

  it('finds what is typed in the input line', () => {
    expect(inputText(['stub> old message', '[stub] ok', 'stub>'], stub)).toBe('');
    expect(inputText(['stub> half typed'], stub)).toBe('half typed');
    expect(inputText(['nothing here'], stub)).toBeNull();
  });

  it('sees sent text at the end of the input, or of a wrapped last row', () => {
    expect(
      inputShows(
        '[from h:operator] hello',
        ['stub> [from h:operator] hello'],
        '[from h:operator] hello',
      ),
    ).toBe(true);
    expect(inputShows('', ['stub>'], 'hello')).toBe(false);
    const long = 'x'.repeat(500) + 'the end';
    expect(inputShows('older', ['stub> older', 'xxxxxxxxxxthe end'], long)).toBe(true);
    expect(inputShows('older', ['stub> older', 'x'.repeat(80) + 'the end'], long)).toBe(true);
    expect(inputShows('older', ['stub> older', 'end'], long)).toBe(false);
  });
});
