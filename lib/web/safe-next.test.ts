import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.js';

describe('safeNext', () => {
  it('keeps a path on this site', () => {
    expect(safeNext('/agents/worker0')).toBe('/agents/worker0');
    expect(safeNext('/backlog?card=c1#x')).toBe('/backlog?card=c1#x');
    expect(safeNext('/%09/evil.example')).toBe('/%09/evil.example');
  });
  it('refuses anything that leaves the site', () => {
    for (const bad of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      // a browser strips tab and line breaks from a URL: these are //host after all
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r/evil.example',
      '\t//evil.example',
      '/\t\\evil.example',
      '/\\evil.example/..',
      'javascript:alert(1)',
      '',
      null,
      undefined,
    ]) {
      expect(safeNext(bad)).toBe('/');
    }
  });
});
