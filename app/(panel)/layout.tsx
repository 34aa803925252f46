import type { ReactNode } from 'react';
import { LiveUpdates } from '@/components/live/live-updates';
import { Nav } from '@/components/nav';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

export default async function PanelLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser('/');
  return (
    <LiveUpdates>
      <Nav email={user.email} host={getWebServices().identity.host} />
      <main className="mx-auto max-w-7xl space-y-4 p-4">{children}</main>
    </LiveUpdates>
  );
}
