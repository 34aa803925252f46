'use server';
/** Fleet control from the panel: PAUSE, restart, terminate. Each: session → authorize → parse → lib → result. */
import { z } from 'zod';
import { agentAddress } from '@/lib/ops/relay-input.js';
import { runAction, type ActionResult } from '@/lib/web/action.js';
import { actorOf } from '@/lib/web/session.js';
import type { PauseView } from '@/lib/store/registry-contract.js';

const pauseInput = z.strictObject({
  paused: z.boolean(),
  reason: z.string().trim().min(1, 'say why the fleet is paused').max(2000).optional(),
});

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
