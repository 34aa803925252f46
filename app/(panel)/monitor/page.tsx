import { MonitorWall } from '@/components/monitor/monitor-wall';
import { RosterProblemNote } from '@/components/roster-problem';
import { orRosterProblem } from '@/lib/web/roster-problem';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

/** `/monitor`: every agent's screen live and read-only, tiled. */
export default async function MonitorPage() {
  await requirePageUser('/monitor');
  const r = await orRosterProblem(() => getWebServices().fleet.snapshot());
  if (!r.ok) return <RosterProblemNote problem={r.problem} />;
  return <MonitorWall initial={r.value} />;
}
