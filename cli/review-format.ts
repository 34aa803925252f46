/**
 * Human-readable output of `fleet review …` and `fleet worktree …` (with --json the API's JSON
 * is printed instead). Titles, comments, branch names and patches come from agents and
 * repositories: single fields go through oneLine and free text through multiLine, so the
 * terminal shows them and never obeys them (lib/terminal-text.ts).
 */
import type {
  PruneResult,
  ReviewFile,
  ReviewRecord,
  ReviewView,
  WorktreeView,
} from '../lib/review/contract.js';
import { multiLine, oneLine as one } from '../lib/terminal-text.js';
import { dash, renderTable } from './table.js';

/**
 * Who approves or requests changes when --by is not given: the agent whose pane runs the command
 * (lib/launch/spec.ts sets MOSAIC_AGENT_NAME), else the operator at this host, as
 * `fleet agent send` labels its --source.
 */
export function defaultReviewer(env: NodeJS.ProcessEnv, hostname: string): string {
  return env.MOSAIC_AGENT_NAME || `${hostname}:operator`;
}

/** 1536 → "1.5 KiB": one decimal below 10 units, none above. */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${bytes} B`;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const changes = (a: number | null, d: number | null) =>
  a === null || d === null ? 'binary' : `+${a}/-${d}`;
const indent = (text: string, by = '    ') =>
  multiLine(text)
    .split('\n')
    .map((l) => by + l);

export function renderReviewList(reviews: ReviewView[]): string {
  if (!reviews.length) return 'nothing in review';
  const rows = reviews.map((v) => [
    v.card.id,
    clip(v.card.title, 40),
    v.place.repo,
    `${v.place.branch} → ${v.place.base}`,
    v.review.author,
    v.review.state,
    String(v.review.round),
    changes(v.additions, v.deletions),
    String(v.files.length),
    `${v.ahead}/${v.behind}`,
  ]);
  return renderTable(
    [
      'CARD',
      'TITLE',
      'REPO',
      'BRANCH',
      'AUTHOR',
      'STATE',
      'ROUND',
      'CHANGES',
      'FILES',
      'AHEAD/BEHIND',
    ],
    rows,
  );
}

function recordLines(r: ReviewRecord): string[] {
  const lines: string[] = [];
  if (r.returned) {
    const t = r.returned;
    lines.push(`  returned   ${t.kind} by ${one(t.by)} at ${t.at}`, ...indent(t.text));
    if (t.files.length) lines.push(`    files: ${one(t.files.join(', '))}`);
  }
  if (r.merge) {
    const m = r.merge;
    lines.push(
      `  merged     ${one(m.merged)} as ${one(m.commit)} (${m.strategy}) at ${m.at}`,
      ...(m.pushed_to ? [`  pushed to  ${one(m.pushed_to)}`] : []),
      ...(m.pull_request && m.pull_request !== r.pull_request
        ? [`  pull req.  ${one(m.pull_request)}`]
        : []),
    );
  }
  if (r.gate_error) lines.push(`  gate error`, ...indent(r.gate_error));
  if (r.comments.length) {
    lines.push('  comments');
    for (const c of r.comments)
      lines.push(`    ${one(c.by)} at ${c.at}:`, ...indent(c.text, '      '));
  }
  return lines;
}

function fileLine(f: ReviewFile): string {
  const path = f.old_path ? `${one(f.old_path)} → ${one(f.path)}` : one(f.path);
  return `    ${f.status.padEnd(8)}  ${changes(f.additions, f.deletions).padEnd(11)}  ${path}`;
}

/** The card in review: its place, its review record, the commands, then its files (and patches). */
export function renderReviewShow(v: ReviewView, opts: { diff?: boolean } = {}): string[] {
  const r = v.review;
  const p = v.place;
  const state =
    r.state === 'approved'
      ? `approved by ${one(dash(r.approved_by))} at ${dash(r.approved_at)}`
      : 'pending';
  const lines = [
    `${one(v.card.id)}: ${one(v.card.title)}`,
    `  status     ${v.card.status}   phase ${one(v.card.phase ?? '-')}`,
    `  repo       ${one(p.repo)}   branch ${one(p.branch)} → ${one(p.base)}`,
    `  worktree   ${one(p.worktree)}`,
    `  author     ${one(r.author)}   round ${r.round}`,
    `  state      ${state}`,
    ...(r.pull_request ? [`  pull req.  ${one(r.pull_request)}`] : []),
    `  changes    ${changes(v.additions, v.deletions)} in ${v.files.length} file(s), ${v.ahead} ahead, ${v.behind} behind`,
    ...recordLines(r),
    '  commands',
    `    diff  ${one(v.commands.diff)}`,
    `    log   ${one(v.commands.log)}`,
    `    show  ${one(v.commands.show)}`,
    v.files.length ? '  files' : '  files      none',
  ];
  for (const f of v.files) {
    lines.push(fileLine(f));
    if (!opts.diff || f.patch === undefined) continue;
    if (f.patch) lines.push(multiLine(f.patch).replace(/\n$/, ''));
    if (f.truncated) lines.push(`(truncated: ${f.patch_bytes ?? '?'} bytes)`);
  }
  return lines;
}

/** One line for `fleet backlog show`: where the card stands in review. */
export function reviewSummary(r: ReviewRecord): string {
  const parts = [
    `round ${r.round}`,
    r.state === 'approved' ? `approved by ${one(dash(r.approved_by))}` : r.state,
    `author ${one(r.author)}`,
  ];
  if (r.returned) parts.push(`last returned (${r.returned.kind}) by ${one(r.returned.by)}`);
  if (r.merge) parts.push(`merged ${one(r.merge.commit)}`);
  if (r.gate_error) parts.push(`gate error: ${one(r.gate_error)}`);
  return parts.join(', ');
}

export function renderWorktrees(worktrees: WorktreeView[]): string {
  if (!worktrees.length) return 'no worktrees';
  const rows = worktrees.map((w) => [
    w.repo,
    dash(w.card),
    dash(w.card_status),
    w.branch,
    `${w.ahead}/${w.behind}`,
    w.merged ? 'yes' : 'no',
    w.dirty ? 'yes' : 'no',
    humanBytes(w.bytes),
    w.path,
    dash(w.problem),
  ]);
  return renderTable(
    [
      'REPO',
      'CARD',
      'STATUS',
      'BRANCH',
      'AHEAD/BEHIND',
      'MERGED',
      'DIRTY',
      'SIZE',
      'PATH',
      'PROBLEM',
    ],
    rows,
  );
}

/** One line per worktree removed (or, with --dry-run, that would be) and kept, then a total. */
export function renderPrune(r: PruneResult): string[] {
  const removed = r.dry_run ? 'would remove' : 'removed';
  const line = (verb: string, e: { path: string; branch: string; why: string }) =>
    `${verb} ${one(e.path)} (${one(e.branch)}): ${one(e.why)}`;
  return [
    ...r.removed.map((e) => line(removed, e)),
    ...r.kept.map((e) => line('kept', e)),
    r.dry_run
      ? `dry run: would remove ${r.removed.length}, keep ${r.kept.length}`
      : `removed ${r.removed.length}, kept ${r.kept.length}`,
  ];
}
