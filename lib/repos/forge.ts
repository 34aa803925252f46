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
