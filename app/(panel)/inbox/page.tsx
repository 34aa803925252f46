import { InboxList } from '@/components/inbox/inbox-list';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

export default async function InboxPage() {
  await requirePageUser('/inbox');
  return <InboxList initial={await getWebServices().inbox.list()} />;
}
