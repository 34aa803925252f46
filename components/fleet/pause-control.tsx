'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { drainAction, setPauseAction } from '@/app/actions/fleet';
import type { PauseView } from '@/lib/store/registry-contract';
import type { ActionResult } from '@/lib/web/action';
import type { DrainView } from '@/lib/supervisor/drain';
import { fleetKeys } from '@/lib/web/query-keys';
import { Button, ErrorNote, inputClass } from '../ui';

/** What a drain still waits for, one line per agent, or that the fleet is quiet. */
function DrainProgress({ drain }: { drain: DrainView | null }) {
  if (!drain) return <span className="text-sm">waiting for the supervisor&apos;s next look</span>;
  if (drain.quiet)
    return (
      <span className="text-sm font-semibold" data-testid="drain-quiet">
        Quiet: no agent works or holds a card
        {drain.checkpointed.length ? ` (${drain.checkpointed.length} put back)` : ''}.
      </span>
    );
  return (
    <ul className="text-sm" data-testid="drain-working">
      {drain.working.map((w) => (
        <li key={`${w.agent}/${w.state}`}>
          {w.agent}: {w.state === 'waiting' ? 'waiting for a human' : w.state}
          {w.card ? ` (card ${w.card})` : ''}
        </li>
      ))}
    </ul>
  );
}

/** The PAUSE banner and its toggle: pausing needs a reason, which everyone then sees. */
export function PauseControl({ pause, drain }: { pause: PauseView; drain: DrainView | null }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** One action at a time; its error shown, the reason field cleared and the fleet re-read. */
  async function act(call: () => Promise<ActionResult<unknown>>) {
    setBusy(true);
    setError(null);
    const r = await call();
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setReason('');
    await qc.invalidateQueries({ queryKey: fleetKeys.all });
  }
  const why = () => reason.trim() || undefined;
  const toggle = (paused: boolean) =>
    act(() => setPauseAction(paused ? { paused, reason: why() } : { paused }));
  const startDrain = () => act(() => drainAction({ reason: why() }));
  const halt = pause.halted ? (
    <div
      data-testid="halt-banner"
      className="flex items-center gap-4 rounded-lg bg-rose-100 px-4 py-3 text-rose-900 ring-1 ring-rose-300"
    >
      <span className="text-lg font-bold tracking-wide">RECOVERY HALTED</span>
      <span className="text-sm">{pause.halted}</span>
      {!pause.paused && (
        <Button
          className="ml-auto"
          tone="primary"
          disabled={busy}
          onClick={() => toggle(false)}
          data-testid="resume-halt"
        >
          Resume recovery
        </Button>
      )}
    </div>
  ) : null;
  if (pause.paused) {
    const draining = pause.drain;
    return (
      <>
        {halt}
        <div
          data-testid={draining ? 'drain-banner' : 'pause-banner'}
          className={`flex items-center gap-4 rounded-lg px-4 py-3 ring-1 ${draining ? 'bg-sky-100 text-sky-900 ring-sky-300' : 'bg-amber-100 text-amber-900 ring-amber-300'}`}
        >
          <span className="text-lg font-bold tracking-wide">
            {draining ? 'DRAINING' : 'PAUSED'}
          </span>
          <div className="flex flex-col gap-1">
            <span className="text-sm">
              {pause.reason ?? (draining ? 'drain' : 'no reason given')} — by {pause.by ?? '?'}
              {pause.since ? ` since ${new Date(pause.since).toLocaleString()}` : ''}.{' '}
              {draining
                ? 'No dispatch; every agent finishes its turn.'
                : 'No dispatch, restarts or automated sends.'}
            </span>
            {draining && <DrainProgress drain={drain} />}
          </div>
          <Button
            className="ml-auto"
            tone="primary"
            disabled={busy}
            onClick={() => toggle(false)}
            data-testid="resume"
          >
            Resume
          </Button>
          <ErrorNote message={error} />
        </div>
      </>
    );
  }
  return (
    <>
      {halt}
      <form
        className="flex items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void toggle(true);
        }}
      >
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="reason for pausing"
          required
          className={`${inputClass} max-w-xs`}
          data-testid="pause-reason"
        />
        <Button type="submit" tone="warning" disabled={busy} data-testid="pause">
          Pause fleet
        </Button>
        <Button
          type="button"
          disabled={busy}
          onClick={() => void startDrain()}
          data-testid="drain"
          title="Pause, and let every agent finish its turn (before an update or a reboot)"
        >
          Drain
        </Button>
        <ErrorNote message={error} />
      </form>
    </>
  );
}
