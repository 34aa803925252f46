'use server';
/** Fleet control from the panel: PAUSE, restart, terminate. Each: session → authorize → parse → lib → result. */
import { z } from 'zod';
import { agentAddress } from '@/lib/ops/relay-input.js';
import { runAction, type ActionResult } from '@/lib/web/action.js';
import { actorOf } from '@/lib/web/session.js';
import type { PauseView } from '@/lib/store/registry-contract.js';
import type { DrainStatus } from '@/lib/ops/drain.js';

const pauseInput = z.strictObject({
  paused: z.boolean(),
  reason: z.string().trim().min(1, 'say why the fleet is paused').max(2000).optional(),
});

const drainInputForm = z.strictObject({
  reason: z.string().trim().min(1).max(2000).optional(),
});

/** Drain: PAUSE while every agent finishes its turn (lib/ops/drain.ts). */
export async function drainAction(raw: unknown): Promise<ActionResult<DrainStatus>> {
  return runAction(
    { schema: drainInputForm, permission: 'fleet.control', revalidate: ['/'] },
    raw,
    (i, user, s) => s.drain.start({ ...i, by: actorOf(user) }),
  );
}

export async function setPauseAction(raw: unknown): Promise<ActionResult<PauseView>> {
  return runAction(
    { schema: pauseInput, permission: 'fleet.control', revalidate: ['/'] },
    raw,
    (i, user, s) => s.pause.set({ ...i, by: actorOf(user) }),
  );
}

// `<host>:<agent>` for another host's agent: its own fleetd does it (lib/ops/relay.ts)
const agentRef = z.strictObject({ name: agentAddress });

export async function restartAgentAction(
  raw: unknown,
): Promise<ActionResult<{ name: string; epoch: number }>> {
  return runAction(
    { schema: agentRef, permission: 'fleet.control', revalidate: ['/'] },
    raw,
    (i, user, s) => s.fleet.restart(i.name, actorOf(user)),
  );
}

export async function terminateAgentAction(
  raw: unknown,
): Promise<ActionResult<{ name: string; stopped: boolean }>> {
  return runAction(
    { schema: agentRef, permission: 'fleet.control', revalidate: ['/'] },
    raw,
    (i, user, s) => s.fleet.terminate(i.name, actorOf(user)),
  );
}
