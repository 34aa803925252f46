'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { restartAgentAction, terminateAgentAction } from '@/app/actions/fleet';
import { fetchJson } from '@/lib/web/fetch-json';
import { fleetKeys } from '@/lib/web/query-keys';
import type { TerminalMode } from '@/lib/web/terminal-protocol';
import type { AgentDetail } from '@/lib/web/types';
import { grown, useNow } from '../clock';
import { ConfirmDialog } from '../confirm-dialog';
import { TerminalView } from '../terminal/terminal-view';
import { AgentTimeline } from './agent-timeline';
import { Badge, Button, ErrorNote, age } from '../ui';

type Pending = 'takeover' | 'restart' | 'terminate' | null;

export function AgentView({ initial }: { initial: AgentDetail }) {
  const name = initial.row.name;
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: fleetKeys.agent(name),
    queryFn: () => fetchJson<AgentDetail>(`/api/v1/agents/${encodeURIComponent(name)}`),
    initialData: initial,
  });
  const row = q.data.row;
  const now = useNow();
  const [mode, setMode] = useState<TerminalMode>('watch');
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function confirm() {
    if (pending === 'takeover') {
      setMode('takeover');
      setPending(null);
      return;
    }
    setBusy(true);
    setError(null);
    const r =
      pending === 'restart'
        ? await restartAgentAction({ name })
        : await terminateAgentAction({ name });
    setBusy(false);
    setPending(null);
    if (!r.ok) return setError(r.error.message);
    setNotice(pending === 'restart' ? `${name} restarted` : `${name} terminated`);
    await qc.invalidateQueries({ queryKey: fleetKeys.all });
  }

  const heldByOther = mode === 'watch' && row.takeover;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/" className="text-sm text-indigo-700 hover:underline">
          ← Fleet
        </Link>
        <h1 className="text-lg font-semibold" data-testid="agent-name">
          {name}
        </h1>
        <Badge value={row.readiness} testId="agent-readiness" />
        <span className="text-sm text-slate-500">
          {row.runtime ?? '—'}
          {row.model ? ` · ${row.model}` : ''} · session {row.session} · heartbeat{' '}
          {age(grown(row.heartbeat_age_s, q.dataUpdatedAt, now))} · restarts {row.restarts}
        </span>
        <div className="ml-auto flex gap-2">
          {mode === 'watch' ? (
            <Button
              tone="warning"
              onClick={() => setPending('takeover')}
              data-testid="takeover"
              disabled={Boolean(row.takeover)}
            >
              Take over
            </Button>
          ) : (
            <Button tone="primary" onClick={() => setMode('watch')} data-testid="release">
              Release (back to watch)
            </Button>
          )}
          <Button onClick={() => setPending('restart')} data-testid="restart">
            Restart
          </Button>
          <Button tone="danger" onClick={() => setPending('terminate')} data-testid="terminate">
            Terminate
          </Button>
        </div>
      </div>
      {heldByOther && (
        <p
          data-testid="takeover-holder"
          className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
        >
          Taken over by {row.takeover}. Automated sends to {name} are queued until they release it.
        </p>
      )}
      {mode === 'takeover' && (
        <p
          className="rounded-md bg-amber-100 px-3 py-2 text-sm font-medium text-amber-900 ring-1 ring-amber-300"
          data-testid="takeover-banner"
        >
          You hold {name}. Automated sends queue until you release it.
        </p>
      )}
      <ErrorNote message={error} testId="agent-error" />
      {notice && (
        <p className="text-sm text-emerald-700" data-testid="agent-notice">
          {notice}
        </p>
      )}
      <TerminalView key={mode} agent={name} mode={mode} />
      <AgentTimeline name={name} />
      {q.data.contract !== null && (
        <details
          className="rounded-md bg-white p-3 text-sm ring-1 ring-slate-200"
          data-testid="agent-contract"
        >
          <summary className="cursor-pointer font-medium text-slate-700">
            Contract it was launched with ({q.data.contract.length} characters)
          </summary>
          <pre className="mt-2 max-h-96 overflow-auto font-mono text-xs whitespace-pre-wrap text-slate-800">
            {q.data.contract}
          </pre>
        </details>
      )}
      <ConfirmDialog
        open={pending !== null}
        busy={busy}
        tone={pending === 'terminate' ? 'danger' : 'warning'}
        title={
          pending === 'takeover'
            ? `Take over ${name}?`
            : pending === 'restart'
              ? `Restart ${name}?`
              : `Terminate ${name}?`
        }
        confirmLabel={
          pending === 'takeover' ? 'Take over' : pending === 'restart' ? 'Restart' : 'Terminate'
        }
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        {pending === 'takeover' &&
          'Your keystrokes will go to the agent. Everyone else sees that you hold it, and automated sends queue until you release.'}
        {pending === 'restart' &&
          'The session is killed and started again under a new spawn epoch; work in its pane is lost.'}
        {pending === 'terminate' &&
          'The session is killed and stays down until it is started again (fleet up or Restart).'}
      </ConfirmDialog>
    </div>
  );
}
