import { RosterEditor } from '../../../components/roster/roster-editor';
import { rosterView } from '../../../lib/web/roster-edit';
import { getWebServices } from '../../../lib/web/services';
import { requirePageUser } from '../../../lib/web/session';

export const dynamic = 'force-dynamic';

export default async function RosterPage() {
  await requirePageUser('/roster');
  return <RosterEditor view={rosterView(getWebServices().home.roster)} />;
}
