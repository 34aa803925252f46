import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/login-form';
import { safeNext } from '@/lib/web/safe-next';
import { currentUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string }>;
}) {
  const next = safeNext((await searchParams).next);
  if (await currentUser()) redirect(next);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="mb-1 text-xl font-semibold">Mosaic Fleet</h1>
        <p className="mb-6 text-sm text-slate-500">Sign in to the control panel.</p>
        <LoginForm next={next} />
      </div>
    </main>
  );
}
