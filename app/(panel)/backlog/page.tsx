import { KanbanBoard } from '@/components/backlog/kanban-board';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

export default async function BacklogPage() {
  await requirePageUser('/backlog');
  const s = getWebServices();
  const cards = await s.backlog.list({});
  return <KanbanBoard initial={{ ...s.identity, cards, generated_at: new Date().toISOString() }} />;
}
