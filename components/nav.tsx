'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { InboxNav } from './inbox/nav-count';
import { LiveIndicator } from './live/live-updates';
import { Button } from './ui';

const links = [
  { href: '/', label: 'Fleet', testId: 'nav-fleet' },
  { href: '/monitor', label: 'Monitor', testId: 'nav-monitor' },
  { href: '/backlog', label: 'Backlog', testId: 'nav-backlog' },
  { href: '/roster', label: 'Roster', testId: 'nav-roster' },
];

export function Nav({ email, host }: { email: string; host: string }) {
  const path = usePathname();
  async function signOut() {
    await fetch('/api/auth/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    window.location.assign('/login');
  }
  return (
    <nav className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-2">
        <span className="font-semibold text-indigo-700">Mosaic Fleet</span>
        <span className="text-xs text-slate-400">{host}</span>
        <div className="flex items-center gap-1">
          {links.map((l) => {
            const active =
              l.href === '/' ? path === '/' || path.startsWith('/agents') : path.startsWith(l.href);
            return (
              <Link
                key={l.href}
                href={l.href}
                data-testid={l.testId}
                className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-indigo-50 text-indigo-700' : 'text-slate-600 hover:bg-slate-100'}`}
              >
                {l.label}
              </Link>
            );
          })}
          <InboxNav active={path.startsWith('/inbox')} />
        </div>
        <div className="ml-auto flex items-center gap-3 text-sm text-slate-500">
          <LiveIndicator />
          <span data-testid="nav-user">{email}</span>
          <Button onClick={signOut} data-testid="sign-out">
            Sign out
          </Button>
        </div>
      </div>
    </nav>
  );
}
