/**
 * A forge pull request for a card's branch (docs/review.md "Forges"): the exact argv of `gh`
 * (GitHub) or `tea` (Gitea/Forgejo), run in the repository so the CLI finds its remote. Pure.
 */
export type Forge = 'gh' | 'tea';

export interface PullRequest {
  base: string;
  head: string;
  title: string;
  body: string;
}

export function pullRequestArgv(forge: Forge, pr: PullRequest): string[] {
  if (forge === 'gh')
    return [
      'gh',
      'pr',
      'create',
      '--base',
      pr.base,
      '--head',
      pr.head,
      '--title',
      pr.title,
      '--body',
      pr.body,
    ];
  return [
    'tea',
    'pulls',
    'create',
    '--base',
    pr.base,
    '--head',
    pr.head,
    '--title',
    pr.title,
    '--description',
    pr.body,
  ];
}

/** What a forge CLI may see of fleetd's environment: its own login, never the store or secrets. */
const FORGE_ENV =
  /^(PATH|HOME|LANG|LC_[A-Z]+|TZ|USER|LOGNAME|XDG_CONFIG_HOME|XDG_DATA_HOME|XDG_CACHE_HOME|SSH_AUTH_SOCK|GIT_SSH_COMMAND|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|GH_[A-Z_]+|GITHUB_TOKEN|GITEA_[A-Z_]+|TEA_[A-Z_]+)$/;

export function forgeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => FORGE_ENV.test(k)));
}
