'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { setPauseAction } from '@/app/actions/fleet';
import type { PauseView } from '@/lib/store/registry-contract';
import { fleetKeys } from '@/lib/web/query-keys';
import { Button, ErrorNote, inputClass } from '../ui';

/** The PAUSE banner and its toggle: pausing needs a reason, which everyone then sees. */
export function PauseControl({ pause }: { pause: PauseView }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function toggle(paused: boolean) {
    setBusy(true);
    setError(null);
    const r = await setPauseAction(
      paused ? { paused, reason: reason.trim() || undefined } : { paused },
    );
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setReason('');
    await qc.invalidateQueries({ queryKey: fleetKeys.all });
  }
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
    return (
      <>
        {halt}
        <div
          data-testid="pause-banner"
          className="flex items-center gap-4 rounded-lg bg-amber-100 px-4 py-3 text-amber-900 ring-1 ring-amber-300"
        >
          <span className="text-lg font-bold tracking-wide">PAUSED</span>
          <span className="text-sm">
            {pause.reason ?? 'no reason given'} — by {pause.by ?? '?'}
            {pause.since ? ` since ${new Date(pause.since).toLocaleString()}` : ''}. No dispatch,
            restarts or automated sends.
          </span>
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
        <ErrorNote message={error} />
      </form>
    </>
  );
}
