'use client';
import { useEffect, useRef, useState } from 'react';
import { linkCardAction, unlinkCardAction, updateCardAction } from '@/app/actions/backlog';
import type { ReviewView } from '@/lib/review/contract';
import type { CardView } from '@/lib/store/contract';
import { ReviewSection } from '../review/review-section';
import { Button, ErrorNote, inputClass } from '../ui';
import { StatusBadge } from './status-badge';

/** A repo card that is, or once was, in review: the editor shows its review and diff too. */
const hasReview = (card: CardView | null): card is CardView =>
  card !== null && (card.status === 'review' || card.review !== null);

/**
 * Edit a card's fields and its dependency links; every change goes through a server action. A
 * card with a review gets its Review section below the form (components/review/).
 */
export function CardEditor({
  card,
  initialReview = null,
  onClose,
  onChanged,
}: {
  card: CardView | null;
  /** the page's read of this card's review, used until the panel fetches its own */
  initialReview?: ReviewView | null;
  onClose(): void;
  onChanged(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (card && !d.open) d.showModal();
    if (!card && d.open) d.close();
    setError(null);
  }, [card]);

  async function save(form: FormData) {
    if (!card) return;
    const priority = Number(form.get('priority'));
    const r = await updateCardAction({
      id: card.id,
      title: String(form.get('title') ?? ''),
      body: String(form.get('body') ?? ''),
      priority: Number.isInteger(priority) ? priority : undefined,
      phase: String(form.get('phase') ?? '').trim() || null,
      assignee_class: String(form.get('assignee_class') ?? '').trim() || null,
    });
    if (!r.ok) return setError(r.error.message);
    onChanged();
    onClose();
  }

  async function changeLink(kind: 'link' | 'unlink', dependsOn: string) {
    if (!card || !dependsOn) return;
    const r =
      kind === 'link'
        ? await linkCardAction({ id: card.id, depends_on: dependsOn })
        : await unlinkCardAction({ id: card.id, depends_on: dependsOn });
    if (!r.ok) return setError(r.error.message);
    setLink('');
    setError(null);
    onChanged();
  }

  return (
    <dialog
      ref={ref}
      data-testid="card-editor"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className={`m-auto w-full ${hasReview(card) ? 'max-w-5xl' : 'max-w-lg'} max-h-[90vh] overflow-y-auto rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40`}
    >
      {card && (
        <form
          key={card.id + card.updated_at}
          className="space-y-3 p-5"
          onSubmit={(e) => {
            e.preventDefault();
            void save(new FormData(e.currentTarget));
          }}
        >
          <div className="flex items-center gap-2">
            <h3 className="font-mono text-sm text-slate-500">{card.id}</h3>
            <StatusBadge status={card.status} />
          </div>
          <input
            name="title"
            defaultValue={card.title}
            required
            className={inputClass}
            data-testid="card-edit-title"
          />
          <textarea
            name="body"
            defaultValue={card.body}
            rows={4}
            className={inputClass}
            placeholder="details"
          />
          <div className="grid grid-cols-3 gap-2">
            <input
              name="priority"
              type="number"
              defaultValue={card.priority}
              className={inputClass}
              title="priority (higher first)"
            />
            <input
              name="phase"
              defaultValue={card.phase ?? ''}
              placeholder="phase"
              className={inputClass}
            />
            <input
              name="assignee_class"
              defaultValue={card.assignee_class ?? ''}
              placeholder="class"
              className={inputClass}
            />
          </div>
          <div className="space-y-1 text-sm">
            <div className="font-medium text-slate-700">Depends on</div>
            <div className="flex flex-wrap gap-1">
              {card.depends_on.length === 0 && <span className="text-slate-400">nothing</span>}
              {card.depends_on.map((d) => (
                <span
                  key={d}
                  className="inline-flex items-center gap-1 rounded bg-slate-100 px-2 py-0.5 font-mono text-xs"
                >
                  {d}
                  {card.waiting_on.includes(d) ? ' (not done)' : ' ✓'}
                  <button
                    type="button"
                    aria-label={`unlink ${d}`}
                    className="text-rose-600"
                    onClick={() => void changeLink('unlink', d)}
                  >
                    ×
                  </button>
                </span>
              ))}
            </div>
            <div className="flex gap-2">
              <input
                value={link}
                onChange={(e) => setLink(e.target.value)}
                placeholder="card id"
                className={inputClass}
                data-testid="card-link-input"
              />
              <Button
                onClick={() => void changeLink('link', link.trim())}
                data-testid="card-link-add"
              >
                Link
              </Button>
            </div>
          </div>
          <ErrorNote message={error} testId="card-editor-error" />
          <div className="flex justify-end gap-2">
            <Button onClick={onClose}>Close</Button>
            <Button type="submit" tone="primary" data-testid="card-edit-save">
              Save
            </Button>
          </div>
        </form>
      )}
      {hasReview(card) && (
        <ReviewSection
          key={card.id}
          card={card}
          initial={initialReview?.card.id === card.id ? initialReview : null}
          onChanged={onChanged}
        />
      )}
    </dialog>
  );
}
