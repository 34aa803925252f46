'use client';
import { useState } from 'react';
import { approveReviewAction, requestChangesAction } from '@/app/actions/review';
import type { ReviewRecord } from '@/lib/review/contract';
import { Button, ErrorNote, inputClass } from '../ui';

/** Approve, or Request changes with a comment: the reviewer's two answers (server actions). */
export function ReviewActions({
  id,
  record,
  onDone,
}: {
  id: string;
  record: ReviewRecord;
  /** after a verdict was accepted: refresh the board and the review */
  onDone(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [writing, setWriting] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  async function settle(call: () => Promise<{ ok: true } | { ok: false; message: string }>) {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const r = await call();
      if (!r.ok) return setError(r.message);
      onDone();
    } catch (e) {
      // the panel restarted or the network dropped: say so rather than leave a silent button
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const approve = () =>
    settle(async () => {
      const r = await approveReviewAction({ id });
      if (!r.ok) return { ok: false, message: r.error.message };
      setNote('approved: the merge gate merges it next');
      return { ok: true };
    });

  const sendBack = () =>
    settle(async () => {
      const r = await requestChangesAction({ id, comment });
      if (!r.ok) return { ok: false, message: r.error.fields?.comment ?? r.error.message };
      setNote(`sent back to ${r.data.review.author}`);
      setComment('');
      setWriting(false);
      return { ok: true };
    });

  const approved = record.state === 'approved';
  return (
    <div className="space-y-2" data-testid="review-actions">
      <div className="flex flex-wrap gap-2">
        <Button
          tone="primary"
          disabled={busy || approved}
          title={approved ? `approved by ${record.approved_by ?? 'someone'}` : undefined}
          onClick={() => void approve()}
          data-testid="review-approve"
        >
          Approve
        </Button>
        <Button
          tone="warning"
          disabled={busy}
          onClick={() => setWriting((w) => !w)}
          data-testid="review-request-changes"
        >
          Request changes
        </Button>
      </div>
      {writing && (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            void sendBack();
          }}
        >
          <textarea
            autoFocus
            required
            rows={4}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder={`what ${record.author} should change (typed into its pane with the card)`}
            className={inputClass}
            data-testid="review-comment"
          />
          <div className="flex gap-2">
            <Button
              type="submit"
              tone="warning"
              disabled={busy || comment.trim() === ''}
              data-testid="review-send-back"
            >
              Send back to {record.author}
            </Button>
            <Button onClick={() => setWriting(false)} disabled={busy}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      <ErrorNote message={error} testId="review-error" />
      {note && (
        <p role="status" data-testid="review-note" className="text-sm text-emerald-700">
          {note}
        </p>
      )}
    </div>
  );
}
