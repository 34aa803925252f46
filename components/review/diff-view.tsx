/**
 * A card's diff against its base: the changed files with their counts, then each file's unified
 * diff, numbered from its hunk headers. Presentational: the view comes from review.show.
 */
import type { ReviewFile, ReviewView } from '@/lib/review/contract';
import { diffRows, statusOf, truncationNote, type DiffRowKind } from './diff-lines';

const ROW_TONES: Record<DiffRowKind, string> = {
  add: 'bg-emerald-50 text-emerald-900',
  del: 'bg-rose-50 text-rose-900',
  context: 'text-slate-800',
  hunk: 'bg-slate-100 text-slate-500',
  meta: 'text-slate-500 italic',
  note: 'text-slate-400 italic',
};
const SIGN: Record<DiffRowKind, string> = {
  add: '+',
  del: '-',
  context: ' ',
  hunk: '',
  meta: '',
  note: '',
};

function Counts({ file }: { file: ReviewFile }) {
  if (file.binary) return <span className="text-slate-500">binary</span>;
  return (
    <span className="font-mono">
      <span className="text-emerald-700">+{file.additions ?? 0}</span>{' '}
      <span className="text-rose-700">−{file.deletions ?? 0}</span>
    </span>
  );
}

function FileName({ file }: { file: ReviewFile }) {
  return (
    <span className="font-mono break-all">
      {file.old_path && file.old_path !== file.path ? `${file.old_path} → ${file.path}` : file.path}
    </span>
  );
}

function Patch({ file }: { file: ReviewFile }) {
  if (file.binary)
    return <p className="px-3 py-2 text-sm text-slate-500">binary file: no text diff</p>;
  if (file.patch === undefined)
    return <p className="px-3 py-2 text-sm text-slate-500">no diff was read for this file</p>;
  const rows = diffRows(file.patch);
  return (
    <>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse font-mono text-xs leading-5">
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-kind={r.kind} className={ROW_TONES[r.kind]}>
                <td className="w-10 px-2 text-right text-slate-400 select-none">{r.old ?? ''}</td>
                <td className="w-10 px-2 text-right text-slate-400 select-none">{r.new ?? ''}</td>
                <td className="w-4 text-center select-none">{SIGN[r.kind]}</td>
                <td className="pr-3 whitespace-pre">{r.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {file.truncated && (
        <p
          data-testid={`diff-truncated-${file.path}`}
          className="border-t border-amber-200 bg-amber-50 px-3 py-1 text-xs text-amber-800"
        >
          {truncationNote(file)}
        </p>
      )}
    </>
  );
}

/** Past this many files, files start folded: a large change stays readable. */
const OPEN_FILES = 25;

export function DiffView({ view }: { view: ReviewView }) {
  const { files, review } = view;
  // after the merge the branch is gone (lib/ops/review.ts): the change is in base's log
  if (review.merge && files.length === 0)
    return (
      <p className="text-sm text-slate-500" data-testid="review-diff">
        The branch was merged and removed: the change is{' '}
        <code className="rounded bg-slate-100 px-1.5 text-xs">
          git show {review.merge.commit.slice(0, 10)}
        </code>{' '}
        on {view.place.base}.
      </p>
    );
  return (
    <div className="space-y-3" data-testid="review-diff">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1 text-sm">
        <span data-testid="review-totals">
          {files.length} {files.length === 1 ? 'file' : 'files'} changed,{' '}
          <span className="font-mono text-emerald-700">+{view.additions}</span>{' '}
          <span className="font-mono text-rose-700">−{view.deletions}</span>
        </span>
        <span className="text-xs text-slate-500">
          {view.ahead} ahead, {view.behind} behind {view.place.base}
        </span>
        <code className="rounded bg-slate-100 px-1.5 text-xs text-slate-600">
          {view.commands.diff}
        </code>
      </div>
      {files.length === 0 && (
        <p className="text-sm text-slate-500">no changes against {view.place.base}</p>
      )}
      <ul
        className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200"
        data-testid="review-files"
      >
        {files.map((f, i) => {
          const st = statusOf(f.status);
          return (
            <li
              key={f.path}
              data-testid={`review-file-${f.path}`}
              className="flex items-center gap-2 px-3 py-1 text-sm"
            >
              <span className={`rounded px-1.5 text-xs ${st.tone}`} title={st.word}>
                {st.letter}
              </span>
              <a href={`#diff-${i}`} className="min-w-0 flex-1 hover:underline">
                <FileName file={f} />
              </a>
              <Counts file={f} />
            </li>
          );
        })}
      </ul>
      {files.map((f, i) => (
        <details
          key={f.path}
          id={`diff-${i}`}
          open={i < OPEN_FILES}
          data-testid={`diff-${f.path}`}
          className="overflow-hidden rounded-md ring-1 ring-slate-200"
        >
          <summary className="flex cursor-pointer items-center gap-2 bg-slate-50 px-3 py-1.5 text-sm">
            <span className="text-xs text-slate-500">{statusOf(f.status).word}</span>
            <span className="min-w-0 flex-1">
              <FileName file={f} />
            </span>
            <Counts file={f} />
          </summary>
          <Patch file={f} />
        </details>
      ))}
    </div>
  );
}
