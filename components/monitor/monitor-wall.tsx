'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { fetchJson } from '@/lib/web/fetch-json';
import { fleetKeys } from '@/lib/web/query-keys';
import type { FleetSnapshot } from '@/lib/web/types';
import { TerminalView } from '../terminal/terminal-view';
import { Badge } from '../ui';

/**
 * Every agent of this host on one page, each pane live and read-only (watch mode: the socket
 * takes no input), in small tiles that fit the window; a tile's name opens its agent page.
 * Agents without a session get a tile that says so instead of a terminal.
 */
export function MonitorWall({ initial }: { initial: FleetSnapshot }) {
  const q = useQuery({
    queryKey: fleetKeys.snapshot(),
    queryFn: () => fetchJson<FleetSnapshot>('/api/v1/fleet'),
    initialData: initial,
  });
  const agents = q.data.agents;
  return (
    <div className="space-y-3">
      <h1 className="text-lg font-semibold">Monitor · {agents.length} agents</h1>
      <div
        className="grid gap-2"
        style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(22rem, 1fr))' }}
        data-testid="monitor-wall"
      >
        {agents.map((a) => (
          <section
            key={a.name}
            className="space-y-1 rounded-lg bg-white p-2 ring-1 ring-slate-200"
            data-testid={`monitor-tile-${a.name}`}
          >
            <div className="flex items-center gap-2 text-xs">
              <Link
                className="font-medium text-indigo-700 hover:underline"
                href={`/agents/${a.name}`}
                data-testid={`monitor-link-${a.name}`}
              >
                {a.name}
              </Link>
              <Badge value={a.readiness} testId={`monitor-readiness-${a.name}`} />
              <span className="truncate text-slate-500">{a.runtime ?? ''}</span>
            </div>
            {a.session === 'missing' ? (
              <p className="text-xs text-slate-500">no session</p>
            ) : (
              <div className="max-h-56 overflow-hidden">
                <TerminalView agent={a.name} mode="watch" compact />
              </div>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}
