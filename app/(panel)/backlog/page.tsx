import { KanbanBoard } from '@/components/backlog/kanban-board';
import type { ReviewView } from '@/lib/review/contract';
import type { CardView } from '@/lib/store/contract';
import { errorInfo } from '@/lib/web/errors';
import { getWebServices, type WebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

/**
 * The review of the card the page opens, with its diff, when it has one. A review that cannot be
 * read (its worktree is gone) is not the page's failure: the card view says so when it reads it.
 */
async function openReview(s: WebServices, card: CardView | undefined): Promise<ReviewView | null> {
  if (!card || (card.status !== 'review' && card.review === null)) return null;
  try {
    return await s.review.show({ id: card.id, diff: true });
  } catch (e) {
    if (errorInfo(e)) return null;
    throw e;
  }
}

/** `/backlog?card=<id>` opens that card (the inbox's links to a card land here). */
export default async function BacklogPage({
  searchParams,
}: {
  searchParams: Promise<{ card?: string | string[] }>;
}) {
  await requirePageUser('/backlog');
  const s = getWebServices();
  const cards = await s.backlog.list({});
  const wanted = (await searchParams).card;
  const card = typeof wanted === 'string' ? cards.find((c) => c.id === wanted) : undefined;
  return (
    <KanbanBoard
      initial={{ ...s.identity, cards, generated_at: new Date().toISOString() }}
      openCard={card?.id ?? null}
      openReview={await openReview(s, card)}
    />
  );
}
