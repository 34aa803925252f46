'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { moveCardAction } from '@/app/actions/backlog';
import { CARD_STATUS_VALUES, type CardStatusValue, type CardView } from '@/lib/store/contract';
import { planMove } from '@/lib/store/moves';
import { fetchJson } from '@/lib/web/fetch-json';
import { backlogKeys } from '@/lib/web/query-keys';
import type { BacklogSnapshot } from '@/lib/web/types';
import type { ReviewView } from '@/lib/review/contract';
import { ErrorNote } from '../ui';
import { CardEditor } from './card-editor';
import { CardTile } from './card-tile';
import { CreateCard } from './create-card';
import { StatusBadge } from './status-badge';

const MIME = 'application/x-mosaic-card';

export function KanbanBoard({
  initial,
  openCard = null,
  openReview = null,
}: {
  initial: BacklogSnapshot;
  /** a card to open at once (`/backlog?card=<id>`) */
  openCard?: string | null;
  /** that card's review with its diff, read by the page (null for a card never in review) */
  openReview?: ReviewView | null;
}) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: backlogKeys.board(),
    queryFn: () => fetchJson<BacklogSnapshot>('/api/v1/backlog'),
    initialData: initial,
  });
  const cards = q.data.cards;
  const [dragging, setDragging] = useState<CardView | null>(null);
  const [over, setOver] = useState<CardStatusValue | null>(null);
  const [editing, setEditing] = useState<string | null>(openCard);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: backlogKeys.all });

  const legal = (card: CardView, to: CardStatusValue) => planMove(card.status, to, card.waiting_on);

  async function drop(to: CardStatusValue, id: string) {
    setOver(null);
    setDragging(null);
    const card = cards.find((c) => c.id === id);
    if (!card || card.status === to) return;
    const plan = legal(card, to);
    if (!plan.ok) return setError(`${card.id}: ${plan.reason}`);
    setError(null);
    const r = await moveCardAction({ id, to });
    if (!r.ok) setError(r.error.message);
    refresh();
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold">Backlog</h1>
          <p className="text-xs text-slate-500">
            {cards.length} cards · tenant {q.data.tenant_id} · updated{' '}
            {new Date(q.data.generated_at).toLocaleTimeString()}
          </p>
        </div>
        <Link
          className="text-sm text-indigo-700 hover:underline"
          href="/backlog/graph"
          data-testid="backlog-graph-link"
        >
          Dependency graph
        </Link>
      </div>
      <CreateCard onCreated={refresh} />
      <ErrorNote message={error ?? q.error?.message} testId="board-error" />
      <div className="grid grid-cols-1 gap-3 md:grid-cols-5" data-testid="kanban">
        {CARD_STATUS_VALUES.map((status) => {
          const col = cards.filter((c) => c.status === status);
          const canDrop = dragging
            ? dragging.status !== status && legal(dragging, status).ok
            : false;
          return (
            <section
              key={status}
              data-testid={`column-${status}`}
              data-droppable={canDrop ? 'yes' : 'no'}
              onDragOver={(e) => {
                // every column takes the drop, so an illegal move is answered with its reason
                if (!dragging || dragging.status === status) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                setOver(status);
              }}
              onDragLeave={() => setOver((o) => (o === status ? null : o))}
              onDrop={(e) => {
                e.preventDefault();
                const id = e.dataTransfer.getData(MIME) || e.dataTransfer.getData('text/plain');
                void drop(status, id);
              }}
              className={`min-h-[12rem] space-y-2 rounded-lg p-2 ring-1 transition ${
                over === status
                  ? canDrop
                    ? 'bg-indigo-50 ring-indigo-300'
                    : 'bg-rose-50 ring-rose-300'
                  : canDrop
                    ? 'bg-slate-100 ring-indigo-200'
                    : 'bg-slate-100 ring-slate-200'
              } ${dragging && !canDrop && dragging.status !== status ? 'opacity-60' : ''}`}
            >
              <header className="flex items-center justify-between px-1">
                <StatusBadge status={status} />
                <span className="text-xs text-slate-500" data-testid={`column-${status}-count`}>
                  {col.length}
                </span>
              </header>
              {col.map((c) => (
                <CardTile
                  key={c.id}
                  card={c}
                  onOpen={() => setEditing(c.id)}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(MIME, c.id);
                    e.dataTransfer.setData('text/plain', c.id);
                    e.dataTransfer.effectAllowed = 'move';
                    setDragging(c);
                  }}
                />
              ))}
            </section>
          );
        })}
      </div>
      <CardEditor
        card={cards.find((c) => c.id === editing) ?? null}
        initialReview={openReview?.card.id === editing ? openReview : null}
        onClose={() => setEditing(null)}
        onChanged={refresh}
      />
    </div>
  );
}
