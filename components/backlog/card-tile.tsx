'use client';
import type { DragEvent } from 'react';
import type { CardView } from '@/lib/store/contract';

const chip = 'rounded px-1.5';

/** Where a repo card stands in review, in a word or two: the tile's line under the title. */
function ReviewLine({ card }: { card: CardView }) {
  const r = card.review;
  if (!r) return null;
  if (card.status === 'review') {
    const approved = r.state === 'approved';
    return (
      <div
        data-testid={`card-review-${card.id}`}
        className={`text-xs ${approved ? 'text-emerald-700' : 'text-violet-700'}`}
      >
        {approved ? '✓ approved' : '● awaiting review'} · round {r.round}
        {r.gate_error && <span className="text-rose-700"> · gate: {r.gate_error}</span>}
      </div>
    );
  }
  // back with its author: say why, so the board explains a card that left review
  if (r.returned && card.status !== 'done') {
    return (
      <div data-testid={`card-review-${card.id}`} className="text-xs text-amber-700">
        ↩ returned ({r.returned.kind}) · round {r.round}
      </div>
    );
  }
  return null;
}

export function CardTile({
  card,
  onOpen,
  onDragStart,
}: {
  card: CardView;
  onOpen(): void;
  onDragStart(e: DragEvent): void;
}) {
  const waiting = card.waiting_on.length > 0;
  const held = waiting || card.wait_reason !== null;
  return (
    <article
      draggable={card.status !== 'done'}
      onDragStart={onDragStart}
      onClick={onOpen}
      data-testid={`card-${card.id}`}
      data-status={card.status}
      className={`cursor-grab space-y-1 rounded-md bg-white p-3 text-sm shadow-sm ring-1 ${held ? 'ring-amber-300' : 'ring-slate-200'} hover:ring-indigo-300`}
    >
      <div className="flex items-start justify-between gap-2">
        <span className="font-medium">{card.title}</span>
        <span
          className="shrink-0 rounded bg-slate-100 px-1.5 text-xs text-slate-600"
          title="priority"
        >
          {card.priority}
        </span>
      </div>
      <div className="font-mono text-xs text-slate-400">{card.id}</div>
      <div className="flex flex-wrap gap-1 text-xs">
        {card.repo && (
          <span
            data-testid={`card-repo-${card.id}`}
            title={card.base ? `repository ${card.repo}, base ${card.base}` : 'repository'}
            className={`${chip} bg-violet-50 font-mono text-violet-700`}
          >
            ⎇ {card.repo}
            {card.base ? `:${card.base}` : ''}
          </span>
        )}
        {card.phase && <span className={`${chip} bg-slate-100`}>{card.phase}</span>}
        {card.assignee_class && (
          <span className={`${chip} bg-indigo-50 text-indigo-700`}>{card.assignee_class}</span>
        )}
        {card.claim_owner && card.status === 'claimed' && (
          <span className={`${chip} bg-sky-50 text-sky-700`}>⚙ {card.claim_owner}</span>
        )}
        {card.status === 'review' && card.review && (
          <span className={`${chip} bg-violet-50 text-violet-700`} title="author">
            ✎ {card.review.author}
          </span>
        )}
      </div>
      <ReviewLine card={card} />
      {waiting && (
        <div data-testid={`card-waiting-${card.id}`} className="text-xs text-amber-700">
          ⏳ waiting on {card.waiting_on.join(', ')}
        </div>
      )}
      {card.wait_reason && (
        <div data-testid={`card-wait-reason-${card.id}`} className="text-xs text-amber-700">
          ⏳ {card.wait_reason}
        </div>
      )}
      {card.depends_on.length > 0 && !waiting && (
        <div className="text-xs text-slate-500">needs {card.depends_on.join(', ')} ✓</div>
      )}
      {card.blocked_reason && card.status === 'blocked' && (
        <div className="text-xs text-rose-700">{card.blocked_reason}</div>
      )}
    </article>
  );
}
