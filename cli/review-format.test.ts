import { describe, expect, it } from 'vitest';
import type {
  PruneResult,
  ReviewRecord,
  ReviewView,
  WorktreeView,
} from '../lib/review/contract.js';
import {
  defaultReviewer,
  humanBytes,
  renderPrune,
  renderReviewList,
  renderReviewShow,
  renderWorktrees,
  reviewSummary,
} from './review-format.js';

const record = (r: Partial<ReviewRecord> = {}): ReviewRecord => ({
  state: 'pending',
  author: 'w1',
  round: 1,
  approved_by: null,
  approved_at: null,
  comments: [],
  returned: null,
  merge: null,
  pull_request: null,
  gate_error: null,
  ...r,
});

const view = (v: Partial<ReviewView> = {}): ReviewView => ({
  tenant_id: 't',
  host: 'h',
  card: { id: 'c1', title: 'Add login', status: 'review', phase: null },
  place: { repo: 'app', base: 'main', branch: 'fleet/c1', worktree: '/wt/app/c1' },
  review: record(),
  ahead: 2,
  behind: 1,
  files: [
    {
      path: 'src/login.ts',
      status: 'added',
      old_path: null,
      additions: 10,
      deletions: 0,
      binary: false,
      patch: '+a\n+b\n',
      patch_bytes: 6,
      truncated: false,
    },
    {
      path: 'logo.png',
      status: 'modified',
      old_path: null,
      additions: null,
      deletions: null,
      binary: true,
    },
  ],
  additions: 10,
  deletions: 0,
  commands: {
    diff: 'git -C /repo diff main...fleet/c1',
    log: 'git -C /repo log main..fleet/c1',
    show: 'git -C /repo show fleet/c1',
  },
  ...v,
});

describe('renderReviewList', () => {
  it('says so when nothing is in review', () => {
    expect(renderReviewList([])).toBe('nothing in review');
  });

  it('shows one row per card with its branch, state, round and changes', () => {
    const out = renderReviewList([
      view({ review: record({ state: 'approved', round: 2, approved_by: 'op' }) }),
    ]).split('\n');
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^CARD\s+TITLE\s+REPO\s+BRANCH\s+AUTHOR\s+STATE\s+ROUND/);
    expect(out[1]!.split(/\s{2,}/)).toEqual([
      'c1',
      'Add login',
      'app',
      'fleet/c1 → main',
      'w1',
      'approved',
      '2',
      '+10/-0',
      '2',
      '2/1',
    ]);
  });
});

describe('renderReviewShow', () => {
  it('prints the header, the commands and the files, and no patch without --diff', () => {
    const out = renderReviewShow(view());
    expect(out[0]).toBe('c1: Add login');
    expect(out).toContain('  repo       app   branch fleet/c1 → main');
    expect(out).toContain('  state      pending');
    expect(out).toContain('    diff  git -C /repo diff main...fleet/c1');
    expect(out).toContain('    added     +10/-0       src/login.ts');
    expect(out).toContain('    modified  binary       logo.png');
    expect(out.join('\n')).not.toContain('+a');
  });

  it('with --diff prints each patch after its file and says when it was cut', () => {
    const v = view();
    v.files[0] = { ...v.files[0]!, patch: '+a', patch_bytes: 4096, truncated: true };
    const out = renderReviewShow(v, { diff: true });
    const at = out.indexOf('    added     +10/-0       src/login.ts');
    expect(out.slice(at + 1, at + 3)).toEqual(['+a', '(truncated: 4096 bytes)']);
  });

  it('shows approval, comments, the return, the merge and the gate error', () => {
    const out = renderReviewShow(
      view({
        review: record({
          state: 'approved',
          approved_by: 'op',
          approved_at: '2025-01-01T00:00:00Z',
          comments: [{ by: 'rev', at: '2025-01-01T00:00:00Z', text: 'rename x\nand y' }],
          returned: {
            kind: 'conflict',
            by: 'gate',
            at: '2025-01-02T00:00:00Z',
            text: 'conflicts with main',
            files: ['a.ts', 'b.ts'],
          },
          merge: {
            commit: 'abc',
            merged: 'def',
            strategy: 'squash',
            at: '2025-01-03T00:00:00Z',
            pushed_to: 'origin',
            pull_request: null,
          },
          pull_request: 'https://forge/pr/7',
          gate_error: 'push refused',
        }),
      }),
    ).join('\n');
    expect(out).toContain('  state      approved by op at 2025-01-01T00:00:00Z');
    expect(out).toContain('    rev at 2025-01-01T00:00:00Z:\n      rename x\n      and y');
    expect(out).toContain('  returned   conflict by gate at 2025-01-02T00:00:00Z');
    expect(out).toContain('    files: a.ts, b.ts');
    expect(out).toContain('  merged     def as abc (squash) at 2025-01-03T00:00:00Z');
    expect(out).toContain('  pushed to  origin');
    expect(out).toContain('  gate error\n    push refused');
    expect(out).toContain('  pull req.  https://forge/pr/7');
  });

  it('keeps a hostile title and branch on their line', () => {
    const out = renderReviewShow(
      view({
        card: { id: 'c1', title: 'x\n\x1b[2Jy', status: 'review', phase: null },
        place: { repo: 'app', base: 'main', branch: 'b\nr', worktree: '/w' },
      }),
    );
    expect(out[0]).toBe('c1: x\\n\\x1B[2Jy');
    expect(out[2]).toBe('  repo       app   branch b\\nr → main');
  });
});

describe('reviewSummary', () => {
  it('says the round, the state and the author, and what happened last', () => {
    expect(reviewSummary(record())).toBe('round 1, pending, author w1');
    expect(
      reviewSummary(
        record({
          state: 'approved',
          round: 3,
          approved_by: 'op',
          returned: { kind: 'changes', by: 'rev', at: 'T', text: '', files: [] },
        }),
      ),
    ).toBe('round 3, approved by op, author w1, last returned (changes) by rev');
  });
});

const worktree = (w: Partial<WorktreeView> = {}): WorktreeView => ({
  repo: 'app',
  path: '/wt/app/c1',
  branch: 'fleet/c1',
  card: 'c1',
  card_status: 'review',
  ahead: 2,
  behind: 0,
  merged: false,
  dirty: true,
  bytes: 3 * 1024 * 1024,
  problem: null,
  ...w,
});

describe('renderWorktrees', () => {
  it('says so when there are none', () => {
    expect(renderWorktrees([])).toBe('no worktrees');
  });

  it('shows merged, dirty, size in human units and a dash for what is missing', () => {
    const out = renderWorktrees([
      worktree(),
      worktree({ card: null, card_status: null, merged: true, dirty: false, bytes: 0 }),
    ]).split('\n');
    expect(out[1]!.split(/\s{2,}/)).toEqual([
      'app',
      'c1',
      'review',
      'fleet/c1',
      '2/0',
      'no',
      'yes',
      '3.0 MiB',
      '/wt/app/c1',
      '-',
    ]);
    expect(out[2]!.split(/\s{2,}/).slice(1, 8)).toEqual([
      '-',
      '-',
      'fleet/c1',
      '2/0',
      'yes',
      'no',
      '0 B',
    ]);
  });
});

describe('humanBytes', () => {
  it('uses binary units with one decimal below ten', () => {
    expect([0, 1023, 1536, 20 * 1024, 5 * 1024 ** 3].map(humanBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '20 KiB',
      '5.0 GiB',
    ]);
  });
});

describe('renderPrune', () => {
  const r = (dry_run: boolean): PruneResult => ({
    tenant_id: 't',
    host: 'h',
    dry_run,
    removed: [{ path: '/wt/a', branch: 'fleet/a', why: 'merged' }],
    kept: [{ path: '/wt/b', branch: 'fleet/b', why: '2 unmerged commits' }],
  });

  it('prints one line per worktree removed and kept, then the totals', () => {
    expect(renderPrune(r(false))).toEqual([
      'removed /wt/a (fleet/a): merged',
      'kept /wt/b (fleet/b): 2 unmerged commits',
      'removed 1, kept 1',
    ]);
  });

  it('says what it would do on a dry run', () => {
    expect(renderPrune(r(true))).toEqual([
      'would remove /wt/a (fleet/a): merged',
      'kept /wt/b (fleet/b): 2 unmerged commits',
      'dry run: would remove 1, keep 1',
    ]);
  });
});

describe('defaultReviewer', () => {
  it('is the agent in an agent pane, else the operator at this host', () => {
    expect(defaultReviewer({ MOSAIC_AGENT_NAME: 'rev1' }, 'box')).toBe('rev1');
    expect(defaultReviewer({}, 'box')).toBe('box:operator');
  });
});
