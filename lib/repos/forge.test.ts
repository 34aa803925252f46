import { describe, expect, it } from 'vitest';
import { forgeEnv, pullRequestArgv } from './forge.js';

const pr = { base: 'main', head: 'fleet/c1', title: 'c1: $(rm -rf ~)', body: 'line one\n`x`' };

describe('forge pull requests (docs/review.md "Forges")', () => {
  it('gh and tea get their exact argv, text passed as words, never through a shell', () => {
    expect(pullRequestArgv('gh', pr)).toEqual([
      'gh',
      'pr',
      'create',
      '--base',
      'main',
      '--head',
      'fleet/c1',
      '--title',
      'c1: $(rm -rf ~)',
      '--body',
      'line one\n`x`',
    ]);
    expect(pullRequestArgv('tea', pr)).toEqual([
      'tea',
      'pulls',
      'create',
      '--base',
      'main',
      '--head',
      'fleet/c1',
      '--title',
      'c1: $(rm -rf ~)',
      '--description',
      'line one\n`x`',
    ]);
  });

  it('a forge CLI sees its own login and the basics, not the store or fleetd secrets', () => {
    const env = forgeEnv({
      PATH: '/usr/bin',
      HOME: '/home/u',
      GH_TOKEN: 'gh',
      GITEA_TOKEN: 'g',
      DATABASE_URL: 'postgres://u:p@db/x',
      BETTER_AUTH_SECRET: 's',
      FLEET_MATRIX_TOKEN: 'm',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/u', GH_TOKEN: 'gh', GITEA_TOKEN: 'g' });
  });
});
