import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CardView } from '../lib/store/contract.js';
import { cardDetails, cardLine } from './backlog-format.js';
import { repoFields, repoUpdates, withRepoOptions } from './backlog-repo.js';
import type { Opts } from './backlog-verb.js';

function parse(args: string[], update = false): Opts {
  const cmd = withRepoOptions(new Command('x').exitOverride(), update);
  cmd.parse(args, { from: 'user' });
  return cmd.opts<Opts>();
}

describe('repo card options', () => {
  it('keeps each --path whole, commas included', () => {
    expect(
      repoFields(parse(['--repo', 'app', '--path', 'src/{a,b}/**', '--path', 'docs/*'])),
    ).toEqual({
      repo: 'app',
      base: undefined,
      paths: ['src/{a,b}/**', 'docs/*'],
    });
  });

  it('on update, none clears repo and base to null and a lone --path none empties the paths', () => {
    expect(
      repoUpdates(parse(['--repo', 'none', '--base', 'none', '--path', 'none'], true)),
    ).toEqual({
      repo: null,
      base: null,
      paths: [],
    });
    expect(repoUpdates(parse([], true))).toEqual({
      repo: undefined,
      base: undefined,
      paths: undefined,
    });
  });
});

const card: CardView = {
  tenant_id: 't',
  host: 'h',
  id: 'c1',
  title: 'Add login',
  body: '',
  phase: null,
  priority: 0,
  status: 'review',
  status_changed_at: 'T',
  assignee_class: null,
  depends_on: [],
  waiting_on: [],
  claim_owner: null,
  claim_host: null,
  claimed_at: null,
  lease_expires_at: null,
  fence: 1,
  attempts: 1,
  max_attempts: 3,
  idempotency_key: null,
  acceptance: { criteria: [] },
  projected_spend: null,
  actual_spend: null,
  blocked_reason: null,
  last_error: null,
  created_at: 'T',
  updated_at: 'T',
  done_at: null,
  repo: 'app',
  base: null,
  paths: ['src/**'],
  assignee: 'w1',
  review: {
    state: 'pending',
    author: 'w1',
    round: 2,
    approved_by: null,
    approved_at: null,
    comments: [],
    returned: null,
    merge: null,
    pull_request: null,
    gate_error: null,
  },
  wait_reason: null,
};

describe('a repo card in fleet backlog', () => {
  it('show prints its repo, paths, assignee and review', () => {
    const out = cardDetails(card);
    expect(out).toContain('  repo       app   base default');
    expect(out).toContain('  paths      src/**');
    expect(out).toContain('  assignee   w1');
    expect(out).toContain('  review     round 2, pending, author w1');
  });

  it('show prints why a ready card waits', () => {
    const waits = {
      ...card,
      status: 'ready' as const,
      review: null,
      wait_reason: 'paths overlap c2',
    };
    expect(cardDetails(waits)).toContain('  waits      paths overlap c2');
  });

  it('list shows the review status and its state', () => {
    expect(cardLine(card)).toBe('c1  review   p0  -  Add login  [pending, round 2, by w1]');
  });
});
