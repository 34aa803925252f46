import { notFound } from 'next/navigation';
import { SetupForm } from '@/components/setup-form';
import { getWebServices } from '@/lib/web/services';

export const dynamic = 'force-dynamic';

/** The one-time setup link printed by `fleet serve` while no operator account exists. */
export default async function SetupPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const { token } = await searchParams;
  const s = getWebServices();
  if (!s.setup.check(token) || (await s.users.count()) > 0) notFound();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="mb-1 text-xl font-semibold">First operator</h1>
        <p className="mb-6 text-sm text-slate-500">
          This link works once, while no account exists.
        </p>
        <SetupForm token={token!} />
      </div>
    </main>
  );
}
