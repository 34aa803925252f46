/** The review record of a repo card, as a reviewer reads it: who, which round, what was said. */
import type { ReactNode } from 'react';
import type { RepoPlace, ReviewRecord } from '@/lib/review/contract';

const when = (iso: string) => new Date(iso).toLocaleString();

/** What a forge CLI printed for a pull request: a link when it is a web address. */
function PullRequest({ text }: { text: string }) {
  return /^https?:\/\//.test(text) ? (
    <a href={text} target="_blank" rel="noreferrer noopener" className="underline">
      {text}
    </a>
  ) : (
    <>{text}</>
  );
}

const short = (sha: string) => sha.slice(0, 10);

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function Comments({ record }: { record: ReviewRecord }) {
  if (record.comments.length === 0) return null;
  return (
    <div className="space-y-1">
      <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Comments</h4>
      <ol className="space-y-2" data-testid="review-comments">
        {record.comments.map((c, i) => (
          <li
            key={`${c.at}-${i}`}
            data-testid={`review-comment-${i}`}
            className="rounded-md bg-slate-50 px-3 py-2 ring-1 ring-slate-200"
          >
            <div className="text-xs text-slate-500">
              <span className="font-medium text-slate-700">{c.by}</span> ·{' '}
              <time dateTime={c.at}>{when(c.at)}</time>
            </div>
            <p className="text-sm whitespace-pre-wrap">{c.text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}

const RETURN_LABELS = {
  changes: 'changes requested',
  conflict: 'merge conflict',
  check: 'acceptance check failed',
} as const;

export function ReviewRecordView({
  record,
  place,
}: {
  record: ReviewRecord;
  /** null until the review has been read (the record itself comes with the card) */
  place: RepoPlace | null;
}) {
  const approved = record.state === 'approved';
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        {place && (
          <Field label="branch">
            <span className="font-mono" data-testid="review-branch">
              {place.branch} → {place.base}
            </span>{' '}
            <span className="text-xs text-slate-500">in {place.repo}</span>
          </Field>
        )}
        <Field label="author">
          <span data-testid="review-author">{record.author}</span>
        </Field>
        <Field label="state">
          <span
            data-testid="review-state"
            className={approved ? 'font-medium text-emerald-700' : 'font-medium text-violet-700'}
          >
            {approved ? 'approved' : 'awaiting review'}
          </span>
          {record.approved_by && (
            <span className="text-slate-500" data-testid="review-approved-by">
              {' '}
              by {record.approved_by}
              {record.approved_at ? ` at ${when(record.approved_at)}` : ''}
            </span>
          )}
        </Field>
        <Field label="round">
          <span data-testid="review-round">{record.round}</span>
        </Field>
        {record.pull_request && (
          <Field label="pull request">
            <span data-testid="review-pull-request">
              <PullRequest text={record.pull_request} />
            </span>
          </Field>
        )}
        {place && (
          <Field label="worktree">
            <span className="font-mono text-xs text-slate-600">{place.worktree}</span>
          </Field>
        )}
      </dl>
      {record.gate_error && (
        <p
          data-testid="review-gate-error"
          className="rounded-md bg-rose-50 px-3 py-2 text-rose-700 ring-1 ring-rose-200"
        >
          <span className="font-medium">merge gate:</span> {record.gate_error}
        </p>
      )}
      {record.returned && (
        <div
          data-testid="review-returned"
          className="rounded-md bg-amber-50 px-3 py-2 ring-1 ring-amber-200"
        >
          <div className="text-xs text-amber-800">
            <span className="font-medium">
              last returned: {RETURN_LABELS[record.returned.kind]}
            </span>{' '}
            by {record.returned.by} ·{' '}
            <time dateTime={record.returned.at}>{when(record.returned.at)}</time>
          </div>
          <p className="font-mono text-xs whitespace-pre-wrap text-amber-900">
            {record.returned.text}
          </p>
          {record.returned.files.length > 0 && (
            <p className="font-mono text-xs text-amber-900">{record.returned.files.join(', ')}</p>
          )}
        </div>
      )}
      {record.merge && (
        <div
          data-testid="review-merge"
          className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-900 ring-1 ring-emerald-200"
        >
          <span className="font-medium">merged</span> ({record.merge.strategy}) at{' '}
          <time dateTime={record.merge.at}>{when(record.merge.at)}</time>: base now{' '}
          <span className="font-mono">{short(record.merge.commit)}</span>, branch{' '}
          <span className="font-mono">{short(record.merge.merged)}</span>
          {record.merge.pushed_to && <> · pushed to {record.merge.pushed_to}</>}
          {record.merge.pull_request && (
            <>
              {' '}
              · pull request <PullRequest text={record.merge.pull_request} />
            </>
          )}
        </div>
      )}
      <Comments record={record} />
    </div>
  );
}
