import Link from 'next/link';
import { DagGraph } from '@/components/backlog/dag-graph';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

/** `/backlog/graph`: the backlog's dependency DAG beside the Kanban, its critical path marked. */
export default async function BacklogGraphPage() {
  await requirePageUser('/backlog/graph');
  const s = getWebServices();
  const cards = await s.backlog.list({});
  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center gap-4">
        <h1 className="text-lg font-semibold">Backlog graph</h1>
        <Link className="text-sm text-indigo-700 hover:underline" href="/backlog">
          Kanban
        </Link>
      </div>
      <DagGraph initial={{ ...s.identity, cards, generated_at: new Date().toISOString() }} />
    </div>
  );
}
