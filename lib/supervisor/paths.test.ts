import { describe, expect, it } from 'vitest';
import { globsOverlap, pathsWait } from './paths.js';

describe('paths overlap (docs/review.md "Paths")', () => {
  it('compares the literal part before the first wildcard, in both directions', () => {
    expect(globsOverlap('src/**', 'src/app/main.ts')).toBe(true);
    expect(globsOverlap('src/app/main.ts', 'src/**')).toBe(true);
    expect(globsOverlap('src/app/*.ts', 'src/lib/*.ts')).toBe(false);
    expect(globsOverlap('docs/a.md', 'docs/a.md')).toBe(true);
    expect(globsOverlap('./docs/a.md', 'docs/*')).toBe(true);
    expect(globsOverlap('**/*.ts', 'docs/a.md')).toBe(true);
    expect(globsOverlap('README.md', 'docs/README.md')).toBe(false);
  });

  it('only cards of the same repository wait for each other, and the reason names both', () => {
    const a = { id: 'a', repo: 'app', paths: ['src/**'] };
    expect(pathsWait({ id: 'b', repo: 'app', paths: ['src/x.ts'] }, [a])).toBe(
      'waits for a: paths overlap (src/x.ts and src/**) in repo app',
    );
    expect(pathsWait({ id: 'b', repo: 'web', paths: ['src/x.ts'] }, [a])).toBeNull();
    expect(pathsWait({ id: 'b', repo: null, paths: ['src/x.ts'] }, [a])).toBeNull();
    expect(pathsWait({ id: 'b', repo: 'app', paths: [] }, [a])).toBeNull();
    expect(pathsWait({ id: 'a', repo: 'app', paths: ['src/**'] }, [a])).toBeNull();
  });
});
