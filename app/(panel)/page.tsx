import { FleetTable } from '@/components/fleet/fleet-table';
import { SinceDigestCard } from '@/components/inbox/since-digest';
import { RosterProblemNote } from '@/components/roster-problem';
import { orRosterProblem } from '@/lib/web/roster-problem';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

export default async function FleetPage() {
  await requirePageUser('/');
  const r = await orRosterProblem(() => getWebServices().fleet.snapshot());
  if (!r.ok) return <RosterProblemNote problem={r.problem} />;
  return (
    <>
      <SinceDigestCard />
      <FleetTable initial={r.value} />
    </>
  );
}
