/**
 * The fleet's other hosts on the fleet page, from the register (docs/architecture.md "The
 * register"): one heading per host with its freshness, and its agents as that host's fleetd last
 * wrote them. Read-only: each host's agents are managed by its own fleetd. Renders nothing for a
 * single-host fleet.
 */
import type { HostView } from '@/lib/fleet/hosts';
import { Badge, Panel, age } from '../ui';

type HostAgent = HostView['agents'][number];

/** The same chip as the warnings of this host's table. */
const chipClass = 'rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 ring-1 ring-amber-200';

function Flags({ row }: { row: HostAgent }) {
  const items: string[] = [];
  if (row.takeover) items.push(`taken over by ${row.takeover}`);
  if (row.failed) items.push(`failed: ${row.failed}`);
  return (
    <span className="space-x-1">
      {items.map((f) => (
        <span key={f} className={chipClass}>
          {f}
        </span>
      ))}
    </span>
  );
}

const seen = (h: HostView): string =>
  h.age_s === null ? 'never seen' : `seen ${age(h.age_s)} ago`;

function HostSection({ h }: { h: HostView }) {
  return (
    <div className="space-y-2" data-testid={`host-${h.host}`}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 className="text-sm font-semibold text-slate-700" data-testid={`host-heading-${h.host}`}>
          host {h.host}
        </h2>
        <span className="text-xs text-slate-500" data-testid={`host-seen-${h.host}`}>
          {seen(h)}
        </span>
        <span className="font-mono text-xs text-slate-500" data-testid={`host-fleetd-${h.host}`}>
          fleetd {h.pid ?? '—'} {h.version ?? ''}
        </span>
        {!h.reachable && (
          <span
            data-testid={`host-unreachable-${h.host}`}
            className="rounded bg-rose-50 px-1.5 py-0.5 text-xs font-medium text-rose-800 ring-1 ring-rose-200"
          >
            unreachable — last known state
          </span>
        )}
      </div>
      <Panel>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid={`host-table-${h.host}`}>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                {[
                  'agent',
                  'class',
                  'readiness',
                  'runtime / model',
                  'session',
                  'heartbeat',
                  'restarts',
                  '',
                ].map((c) => (
                  <th key={c} className="px-2 py-2 font-medium">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {h.agents.map((r) => (
                <tr key={r.name} data-testid={`host-row-${h.host}-${r.name}`} className="align-top">
                  <td className="px-2 py-2 font-medium">{r.name}</td>
                  <td className="px-2 py-2 text-slate-600">{r.class}</td>
                  <td className="px-2 py-2">
                    <Badge value={r.readiness} testId={`host-readiness-${h.host}-${r.name}`} />
                  </td>
                  <td className="px-2 py-2 text-slate-600">
                    {r.runtime ?? '—'}
                    {r.model ? ` · ${r.model}` : ''}
                  </td>
                  <td className="px-2 py-2 text-slate-600">{r.session}</td>
                  <td className="px-2 py-2 text-slate-600">
                    {age(r.heartbeat_age_s)} {r.heartbeat_status ? `(${r.heartbeat_status})` : ''}
                  </td>
                  <td className="px-2 py-2 text-slate-600">{r.restarts}</td>
                  <td className="px-2 py-2">
                    <Flags row={r} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="mt-2 text-xs text-slate-500" data-testid={`host-managed-${h.host}`}>
          managed by {h.host}&apos;s fleetd
        </p>
      </Panel>
    </div>
  );
}

/** Every other host of the fleet, below this host's table; nothing when there is none. */
export function OtherHosts({ hosts }: { hosts: readonly HostView[] }) {
  if (hosts.length === 0) return null;
  return (
    <section className="space-y-4" data-testid="other-hosts">
      {hosts.map((h) => (
        <HostSection key={h.host} h={h} />
      ))}
    </section>
  );
}
