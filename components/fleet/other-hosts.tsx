'use client';
/**
 * The fleet's other hosts on the fleet page, from the register (docs/architecture.md "The
 * register"): one heading per host with its freshness, and its agents as that host's fleetd last
 * wrote them. Renders nothing for a single-host fleet.
 *
 * Each agent can be restarted or terminated from here: the same actions as the agent page, with
 * `<host>:<agent>`, carried out by that host's own fleetd through the store (docs/architecture.md
 * "The relay"). Its terminal is not relayed: "Watch" links to that host's own panel.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { restartAgentAction, terminateAgentAction } from '@/app/actions/fleet';
import type { HostView } from '@/lib/fleet/hosts';
import { fleetKeys } from '@/lib/web/query-keys';
import { grown, useNow } from '../clock';
import { ConfirmDialog } from '../confirm-dialog';
import { Badge, Button, Panel, age } from '../ui';

type HostAgent = HostView['agents'][number];

type Kind = 'restart' | 'terminate';

/** What the operator asked of one agent on another host, until they confirm or cancel. */
interface Ask {
  host: string;
  agent: string;
  kind: Kind;
  reachable: boolean;
}

/**
 * The last answer for one agent: done there, kept in the store (that host did not answer in
 * time: a TIMEOUT, done once when it does), or refused.
 */
interface Outcome {
  state: 'asking' | 'done' | 'kept' | 'failed';
  text: string;
}

/** TIMEOUT: not refused, only not done yet; the command stays kept for that host. */
const failure = (e: { code: string; message: string }): Outcome => ({
  state: e.code === 'TIMEOUT' ? 'kept' : 'failed',
  text: e.message,
});

const address = (host: string, agent: string): string => `${host}:${agent}`;

/**
 * The agent's page on its own host's panel. Only an http(s) URL is linked: the register is
 * written by every host of the store, and an href is the one place a value of it could run.
 */
function watchUrl(panelUrl: string | null, agent: string): string | null {
  if (!panelUrl) return null;
  try {
    const u = new URL(panelUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  } catch {
    return null;
  }
  return `${panelUrl.replace(/\/+$/, '')}/agents/${encodeURIComponent(agent)}`;
}

/** The same chip as the warnings of this host's table. */
const chipClass = 'rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 ring-1 ring-amber-200';

const outcomeClass: Record<Outcome['state'], string> = {
  asking: 'text-slate-500',
  done: 'text-emerald-700',
  kept: 'text-amber-800',
  failed: 'text-rose-700',
};

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

function Actions(props: {
  h: HostView;
  agent: string;
  outcome: Outcome | undefined;
  onAsk(a: Ask): void;
}) {
  const { h, agent, outcome } = props;
  const id = `${h.host}-${agent}`;
  const ask = (kind: Kind) => props.onAsk({ host: h.host, agent, kind, reachable: h.reachable });
  const watch = watchUrl(h.panel_url, agent);
  const asking = outcome?.state === 'asking';
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => ask('restart')} disabled={asking} data-testid={`host-restart-${id}`}>
          Restart
        </Button>
        <Button
          tone="danger"
          onClick={() => ask('terminate')}
          disabled={asking}
          data-testid={`host-terminate-${id}`}
        >
          Terminate
        </Button>
        {watch && (
          <a
            href={watch}
            target="_blank"
            rel="noopener noreferrer"
            className="text-sm text-indigo-700 hover:underline"
            data-testid={`host-watch-${id}`}
          >
            Watch on {h.host}&apos;s panel
          </a>
        )}
      </div>
      {outcome && (
        <p
          className={`text-xs ${outcomeClass[outcome.state]}`}
          data-testid={`host-status-${id}`}
          data-state={outcome.state}
        >
          {outcome.text}
        </p>
      )}
    </div>
  );
}

const seen = (h: HostView): string =>
  h.age_s === null ? 'never seen' : `seen ${age(h.age_s)} ago`;

function HostSection(props: {
  h: HostView;
  outcomes: ReadonlyMap<string, Outcome>;
  onAsk(a: Ask): void;
}) {
  const { h } = props;
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
                  'actions',
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
                  <td className="px-2 py-2">
                    <Actions
                      h={h}
                      agent={r.name}
                      outcome={props.outcomes.get(address(h.host, r.name))}
                      onAsk={props.onAsk}
                    />
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

/** What the confirm dialog says: who does it, what is lost, and when an absent host does it. */
function askText(a: Ask): string {
  const what =
    a.kind === 'restart'
      ? 'kills the session and starts it again under a new spawn epoch; work in its pane is lost.'
      : 'kills the session; it stays down until it is started again.';
  const when = a.reachable
    ? `If ${a.host} does not answer in time, the command is kept and done when it does.`
    : `${a.host} is unreachable: the command is kept in the store and done when its fleetd is back.`;
  return `${a.host}'s fleetd ${what} ${when}`;
}

/** Every other host of the fleet, below this host's table; nothing when there is none. */
/** The ages of a host and its agents as read at `readAt`, grown to `now` (docs/api.md "Events"). */
function agedHost(h: HostView, readAt: number, now: number | null): HostView {
  return {
    ...h,
    age_s: grown(h.age_s, readAt, now),
    agents: h.agents.map((a) => ({
      ...a,
      heartbeat_age_s: grown(a.heartbeat_age_s, readAt, now),
      last_output_age_s: grown(a.last_output_age_s, readAt, now),
    })),
  };
}

export function OtherHosts({
  hosts: read,
  readAt,
}: {
  hosts: readonly HostView[];
  /** when the browser received them */
  readAt: number;
}) {
  const now = useNow();
  const hosts = read.map((h) => agedHost(h, readAt, now));
  const qc = useQueryClient();
  const [pending, setPending] = useState<Ask | null>(null);
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, Outcome>>(new Map());
  const record = (key: string, o: Outcome) => setOutcomes((m) => new Map(m).set(key, o));

  // The dialog closes at once: that host's answer can take up to the relay's wait (~35 s), shown
  // meanwhile on the agent's row.
  async function confirm(a: Ask) {
    setPending(null);
    const name = address(a.host, a.agent);
    record(name, { state: 'asking', text: `asking ${a.host} to ${a.kind} ${a.agent}…` });
    try {
      if (a.kind === 'restart') {
        const r = await restartAgentAction({ name });
        if (r.ok) record(name, { state: 'done', text: `restarted (epoch ${r.data.epoch})` });
        else record(name, failure(r.error));
      } else {
        const r = await terminateAgentAction({ name });
        if (r.ok)
          record(name, { state: 'done', text: r.data.stopped ? 'terminated' : 'was not running' });
        else record(name, failure(r.error));
      }
    } catch (e) {
      // the request itself failed (fleetd restarting, the network): the row must not stay "asking"
      record(name, { state: 'failed', text: `${a.kind} ${name}: ${(e as Error).message}` });
    }
    await qc.invalidateQueries({ queryKey: fleetKeys.all });
  }

  if (hosts.length === 0) return null;
  return (
    <section className="space-y-4" data-testid="other-hosts">
      {hosts.map((h) => (
        <HostSection key={h.host} h={h} outcomes={outcomes} onAsk={setPending} />
      ))}
      <ConfirmDialog
        open={pending !== null}
        tone={pending?.kind === 'terminate' ? 'danger' : 'warning'}
        title={
          pending
            ? `${pending.kind === 'restart' ? 'Restart' : 'Terminate'} ${address(pending.host, pending.agent)}?`
            : ''
        }
        confirmLabel={pending?.kind === 'terminate' ? 'Terminate' : 'Restart'}
        onConfirm={() => pending && void confirm(pending)}
        onCancel={() => setPending(null)}
      >
        {pending && askText(pending)}
      </ConfirmDialog>
    </section>
  );
}
