'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { fetchJson } from '@/lib/web/fetch-json';
import { grown, useNow } from '../clock';
import { fleetKeys } from '@/lib/web/query-keys';
import type { FleetRow, FleetSnapshot } from '@/lib/web/types';
import { Badge, ErrorNote, Panel, age } from '../ui';
import { OtherHosts } from './other-hosts';
import { PauseControl } from './pause-control';

function Warnings({ row }: { row: FleetRow }) {
  const items: string[] = [];
  if (row.drift) items.push(`drift: runs ${row.detected_runtime ?? '?'}`);
  if (row.takeover) items.push(`taken over by ${row.takeover}`);
  if (!row.managed) items.push('not in roster');
  if (row.enabled === false) items.push('disabled');
  if (row.exit_status !== null) items.push(`exited ${row.exit_status}`);
  // unattended: the runtime's permission prompts are skipped (the roster's yolo)
  if (row.yolo) items.push('yolo');
  return (
    <span className="space-x-1">
      {items.map((w) => (
        <span
          key={w}
          className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 ring-1 ring-amber-200"
        >
          {w}
        </span>
      ))}
    </span>
  );
}

export function FleetTable({ initial }: { initial: FleetSnapshot }) {
  const q = useQuery({
    queryKey: fleetKeys.snapshot(),
    queryFn: () => fetchJson<FleetSnapshot>('/api/v1/fleet'),
    initialData: initial,
  });
  const s = q.data;
  // ages grow here, between the changes fleetd tells of (docs/api.md "Events")
  const now = useNow();
  const aged = (seconds: number | null) => age(grown(seconds, q.dataUpdatedAt, now));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold">Fleet</h1>
          <p className="text-xs text-slate-500">
            tenant {s.tenant_id} · host {s.host} · socket {s.socket} · updated{' '}
            {new Date(s.generated_at).toLocaleTimeString()}
          </p>
        </div>
        {!s.pause.paused && <PauseControl pause={s.pause} drain={s.drain} />}
      </div>
      {s.pause.paused && <PauseControl pause={s.pause} drain={s.drain} />}
      {s.boot_warning && (
        <p
          data-testid="boot-warning"
          className="rounded-md bg-orange-50 px-3 py-2 text-sm text-orange-800 ring-1 ring-orange-200"
        >
          Boot: {s.boot_warning}
        </p>
      )}
      {s.northstar_error && (
        <p
          data-testid="northstar-error"
          className="rounded-md bg-rose-50 px-3 py-2 font-mono text-xs whitespace-pre-wrap text-rose-900 ring-1 ring-rose-200"
        >
          NORTH_STAR.yaml is not planned: {s.northstar_error}
        </p>
      )}
      <ErrorNote message={q.error?.message} />
      {s.other_hosts.length > 0 && (
        <p className="text-xs text-slate-500" data-testid="this-host-caption">
          this host: {s.host}
        </p>
      )}
      <Panel>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="fleet-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                {[
                  'agent',
                  'readiness',
                  'runtime / model',
                  'session',
                  'heartbeat',
                  'output',
                  'restarts',
                  'host · tenant',
                  'last output',
                  '',
                ].map((h) => (
                  <th key={h} className="px-2 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {s.agents.map((r) => (
                <tr key={r.name} data-testid={`fleet-row-${r.name}`} className="align-top">
                  <td className="px-2 py-2 font-medium">
                    <Link
                      className="text-indigo-700 hover:underline"
                      href={`/agents/${r.name}`}
                      data-testid={`agent-link-${r.name}`}
                    >
                      {r.name}
                    </Link>
                  </td>
                  <td className="px-2 py-2">
                    <Badge value={r.readiness} testId={`readiness-${r.name}`} />
                  </td>
                  <td className="px-2 py-2 text-slate-600">
                    {r.runtime ?? '—'}
                    {r.model ? ` · ${r.model}` : ''}
                  </td>
                  <td className="px-2 py-2 text-slate-600">
                    {r.session}
                    {r.clients ? ` · ${r.clients} viewer${r.clients > 1 ? 's' : ''}` : ''}
                  </td>
                  <td className="px-2 py-2 text-slate-600">
                    {aged(r.heartbeat_age_s)} {r.heartbeat_status ? `(${r.heartbeat_status})` : ''}
                  </td>
                  <td className="px-2 py-2 text-slate-600">{aged(r.last_output_age_s)}</td>
                  <td className="px-2 py-2 text-slate-600">
                    {r.restarts}
                    {r.conversation ? (
                      <span
                        className="ml-1 text-xs text-slate-500"
                        data-testid={`conversation-${r.name}`}
                        title="whether the running incarnation reopened its conversation or began a new one"
                      >
                        · {r.conversation}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-2 py-2 text-xs text-slate-500">
                    {r.host} · {r.tenant_id}
                  </td>
                  <td
                    className="max-w-xs truncate px-2 py-2 font-mono text-xs text-slate-500"
                    title={r.last_line ?? ''}
                  >
                    {r.last_line ?? ''}
                  </td>
                  <td className="px-2 py-2">
                    <Warnings row={r} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <OtherHosts hosts={s.other_hosts} readAt={q.dataUpdatedAt} />
    </div>
  );
}
