import { KanbanBoard } from '@/components/backlog/kanban-board';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

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
  const open = typeof wanted === 'string' && cards.some((c) => c.id === wanted) ? wanted : null;
  return (
    <KanbanBoard
      initial={{ ...s.identity, cards, generated_at: new Date().toISOString() }}
      openCard={open}
    />
  );
}
