import { FleetTable } from '../../components/fleet/fleet-table';
import { getWebServices } from '../../lib/web/services';
import { requirePageUser } from '../../lib/web/session';

export const dynamic = 'force-dynamic';

export default async function FleetPage() {
  await requirePageUser('/');
  const snapshot = await getWebServices().fleet.snapshot();
  return <FleetTable initial={snapshot} />;
}
