'use server';
/**
 * Roster edits from the panel, through the one roster operation (lib/ops/roster.ts) the CLI
 * uses too: the form's hash detects a concurrent edit, and the env files are regenerated (and
 * a removed agent's pruned) by the operation itself.
 */
import { addAgent, setAgentFields, type RosterEdit } from '@/lib/ops/roster.js';
import { runAction, type ActionResult } from '@/lib/web/action.js';
import { actorOf } from '@/lib/web/session.js';
import { addAgentInput, removeAgentInput, saveAgentInput } from '@/lib/web/roster-form.js';

export async function saveAgentAction(raw: unknown): Promise<ActionResult<RosterEdit>> {
  return runAction(
    { schema: saveAgentInput, permission: 'roster.write', revalidate: ['/roster'] },
    raw,
    (i, _u, s) => setAgentFields(s.home, i.name, i.fields, i.hash),
  );
}

export async function addAgentAction(raw: unknown): Promise<ActionResult<RosterEdit>> {
  return runAction(
    { schema: addAgentInput, permission: 'roster.write', revalidate: ['/roster', '/'] },
    raw,
    (i, _u, s) =>
      addAgent(s.home, { name: i.name, class: i.class, role: i.role, ...i.fields }, i.hash),
  );
}

export async function removeAgentAction(raw: unknown): Promise<ActionResult<RosterEdit>> {
  return runAction(
    { schema: removeAgentInput, permission: 'roster.write', revalidate: ['/roster', '/'] },
    raw,
    (i, u, s) => s.fleet.remove(i.name, i.hash, actorOf(u)),
  );
}
