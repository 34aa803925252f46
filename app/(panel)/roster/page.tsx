import { RosterProblemNote } from '@/components/roster-problem';
import { RosterEditor } from '@/components/roster/roster-editor';
import { rosterView } from '@/lib/ops/roster-view';
import { orRosterProblem } from '@/lib/web/roster-problem';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

export default async function RosterPage() {
  await requirePageUser('/roster');
  const r = await orRosterProblem(() => rosterView(getWebServices().home.roster));
  if (!r.ok) return <RosterProblemNote problem={r.problem} />;
  return <RosterEditor view={r.value} />;
}
