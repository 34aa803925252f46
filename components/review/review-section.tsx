'use client';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReviewView } from '@/lib/review/contract';
import type { CardView } from '@/lib/store/contract';
import { fetchJson } from '@/lib/web/fetch-json';
import { ErrorNote } from '../ui';
import { DiffView } from './diff-view';
import { reviewKeys } from './query-keys';
import { ReviewActions } from './review-actions';
import { ReviewRecordView } from './review-record';

/**
 * The Review part of a repo card's view: its record (live with the board's poll), the verdict
 * buttons while it is in review, and the diff against its base (GET /api/v1/review/:id, read
 * again whenever the card changes).
 */
export function ReviewSection({
  card,
  initial,
  onChanged,
}: {
  card: CardView;
  /** the page's read, when it opened this card (`/backlog?card=<id>`) */
  initial: ReviewView | null;
  onChanged(): void;
}) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: reviewKeys.show(card.id, card.updated_at),
    queryFn: () => fetchJson<ReviewView>(`/api/v1/review/${encodeURIComponent(card.id)}`),
    initialData: initial ?? undefined,
    // shown at once, but read again: the page read it when it rendered, maybe a while ago
    initialDataUpdatedAt: 0,
    // the card's previous diff stays on screen while the changed card's is read
    placeholderData: keepPreviousData,
  });
  const view = q.data ?? null;
  const record = card.review ?? view?.review ?? null;

  function done() {
    onChanged();
    void qc.invalidateQueries({ queryKey: reviewKeys.all });
  }

  return (
    <section className="space-y-4 border-t border-slate-200 p-5" data-testid="review-section">
      <header className="flex items-center gap-2">
        <h3 className="text-base font-semibold">Review</h3>
        {q.isFetching && <span className="text-xs text-slate-400">reading…</span>}
      </header>
      {record ? (
        <ReviewRecordView record={record} place={view?.place ?? null} />
      ) : (
        <p className="text-sm text-slate-500">no review record yet</p>
      )}
      {card.status === 'review' && record && (
        <ReviewActions id={card.id} record={record} onDone={done} />
      )}
      <ErrorNote
        message={q.error ? `the diff could not be read: ${q.error.message}` : null}
        testId="review-load-error"
      />
      {view ? (
        <DiffView view={view} />
      ) : (
        !q.error && <p className="text-sm text-slate-500">reading the diff…</p>
      )}
    </section>
  );
}
