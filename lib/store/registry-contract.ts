/** Wire contract for fleet flags and PAUSE (see contract.ts); the register is lib/store/register.ts. */
import { z } from 'zod';
import type { Identity } from './contract.js';

const label = z.string().trim().min(1).max(200);
const statusObject = z.record(z.string(), z.unknown());

const flagName = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must match ^[a-z][a-z0-9_.-]{0,63}$');
export const getFlagInput = z.strictObject({ name: flagName });
export const setFlagInput = z.strictObject({ name: flagName, value: statusObject, by: label });
export const setPauseInput = z.strictObject({
  paused: z.boolean(),
  by: label,
  reason: z.string().trim().min(1).max(2000).optional(),
  /** a drain: PAUSE, and every agent is let finish its turn (docs/operations.md "Drain") */
  drain: z.boolean().optional(),
});

export const drainInput = z.strictObject({
  by: label,
  reason: z.string().trim().min(1).max(2000).optional(),
});

/** `fleet ps` asked of fleetd, for the host and tmux server the caller means (lib/ops/ps-view.ts) */
export const psInput = z.strictObject({
  host: z.string().min(1).max(253),
  tmux_tmpdir: z.string().min(1).max(4096).nullable(),
});

export type SetFlagInput = z.infer<typeof setFlagInput>;
export type SetPauseInput = z.infer<typeof setPauseInput>;

export interface FlagView extends Identity {
  name: string;
  value: Record<string, unknown>;
  set_by: string;
  updated_at: string;
}

export interface PauseState extends Identity {
  paused: boolean;
  since: string | null;
  by: string | null;
  reason: string | null;
  /** the pause is a drain: agents finish their turns (docs/operations.md "Drain") */
  drain: boolean;
}

/** PAUSE as every edge shows it: the flag, plus the supervisor's recovery halt on this host. */
export interface PauseView extends PauseState {
  /** why recovery is halted (repeated auth-like failures), or null; `resume` lifts it */
  halted: string | null;
}
