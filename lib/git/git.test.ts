import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { recordingRunner } from '../runner.js';
import { InvalidGitName, NotARepository, UnknownBranch } from './errors.js';
import { Git, gitEnv } from './git.js';
import { addWorktree } from './worktrees.js';
import { aheadBehind } from './refs.js';
import { push } from './branches.js';

describe('Git runner', () => {
  it('runs git -C <repo> with hooks and fsmonitor off, a fixed env and a timeout', async () => {
    const runner = recordingRunner(() => ({ stdout: 'ok' }));
    const git = new Git({ runner, timeoutMs: 777, env: gitEnv({ PATH: '/bin' }) });
    expect(await git.run('/r', ['status'])).toBe('ok');
    expect(runner.calls[0]!.argv).toEqual([
      'git',
      '-C',
      '/r',
      '-c',
      'core.hooksPath=/dev/null',
      '-c',
      'core.fsmonitor=false',
      'status',
    ]);
    expect(runner.calls[0]!.opts.timeoutMs).toBe(777);
  });

  it('builds its env from nothing: no GIT_DIR, no user config, no prompt, no secrets', () => {
    const env = gitEnv({
      PATH: '/usr/bin',
      HOME: '/home/u',
      GIT_DIR: '/elsewhere',
      DATABASE_URL: 'postgres://secret',
      LANG: 'de_DE.UTF-8',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C',
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_OPTIONAL_LOCKS: '0',
    });
  });

  it('throws a CommandError with argv and stderr, or NotARepository when that is the cause', async () => {
    const fail = new Git({
      runner: recordingRunner(() => ({ exitCode: 1, stderr: 'error: boom\n' })),
    });
    const e = await fail.run('/r', ['x']).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CommandError);
    expect((e as CommandError).argv).toContain('x');
    expect((e as CommandError).stderr).toBe('error: boom\n');
    const notRepo = new Git({
      runner: recordingRunner(() => ({ exitCode: 128, stderr: 'fatal: not a git repository' })),
    });
    await expect(notRepo.run('/r', ['x'])).rejects.toThrow(NotARepository);
    await expect(notRepo.run('/r', ['x'])).rejects.toThrow('/r is not a git repository');
  });

  it('refuses a bad name before running anything', async () => {
    const runner = recordingRunner();
    const git = new Git({ runner });
    await expect(addWorktree(git, '/r', '/w', '-rf', 'main')).rejects.toThrow(InvalidGitName);
    await expect(addWorktree(git, '/r', '/w', 'a b', 'main')).rejects.toThrow(
      'invalid branch "a b": contains a space',
    );
    await expect(push(git, '/r', '--upload-pack=x', 'main')).rejects.toThrow(/invalid remote/);
    expect(runner.calls).toEqual([]);
  });

  it('names the base in an unknown-branch error', async () => {
    // for-each-ref lists only the refs that exist: here, the branch but not the base
    const git = new Git({
      runner: recordingRunner(() => ({ stdout: 'refs/heads/card\0aaa\0ttt\n' })),
    });
    const e = await aheadBehind(git, '/r', 'card', 'trunk').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(UnknownBranch);
    expect((e as Error).message).toBe('unknown base branch "trunk" in /r');
  });
});
