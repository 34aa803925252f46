/**
 * Drain, in one place for every edge (`fleet drain`, the panel's button, the socket API and
 * `fleet update`): PAUSE pulled as a drain, then the supervisor lets every agent finish its
 * turn and puts back the cards of those that end it unfinished (lib/supervisor/drain.ts). The
 * status is what the supervisor saw at its last look; `fleet resume` ends a drain like any
 * pause (docs/operations.md "Drain").
 */
import { FleetError } from '../errors.js';
import type { PauseView } from '../store/registry-contract.js';
import type { DrainView } from '../supervisor/drain.js';
import type { PauseOps } from './pause.js';

export interface DrainStatus extends DrainView {
  pause: PauseView;
}

export interface DrainOps {
  /** pull PAUSE as a drain (again: the first drain's `since` stays) and look at once */
  start(i: { by: string; reason?: string }): Promise<DrainStatus>;
  status(): Promise<DrainStatus>;
  /** the supervisor of this fleetd: how to read its last look and ask for a new one */
  attach(supervisor: { view(p: PauseView): DrainView; look(): Promise<unknown> }): void;
}

export const DRAIN_REASON = 'drain: letting every agent finish its turn';

export function drainOps(pause: PauseOps): DrainOps {
  let sup: { view(p: PauseView): DrainView; look(): Promise<unknown> } | null = null;
  const status = async (): Promise<DrainStatus> => {
    const p = await pause.get();
    if (!sup)
      throw new FleetError(
        'BUSY',
        'no supervisor runs in this fleetd (started with --no-supervise): nothing watches the drain',
      );
    return { ...sup.view(p), pause: p };
  };
  return {
    async start(i) {
      await pause.set({ paused: true, drain: true, by: i.by, reason: i.reason ?? DRAIN_REASON });
      await sup?.look().catch(() => undefined);
      return status();
    },
    status,
    attach(s) {
      sup = s;
    },
  };
}
