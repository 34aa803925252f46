'use server';
/** Roster edits from the panel (lib/web/roster-edit.ts); each apply regenerates the agent's env file. */
import { runAction, type ActionResult } from '../../lib/web/action.js';
import {
  addAgent,
  removeAgent,
  saveAgentFields,
  type EditResult,
} from '../../lib/web/roster-edit.js';
import { addAgentInput, removeAgentInput, saveAgentInput } from '../../lib/web/roster-form.js';

export interface ApplyResult extends EditResult {
  /** env files regenerated; the running agent picks the change up when restarted */
  envFiles: string[];
}

export async function saveAgentAction(raw: unknown): Promise<ActionResult<ApplyResult>> {
  return runAction(
    { schema: saveAgentInput, permission: 'roster.write', revalidate: ['/roster'] },
    raw,
    (i, _u, s) => {
      const r = saveAgentFields(s.home.roster, i.hash, i.name, i.fields);
      return { ...r, envFiles: r.changed.length ? s.fleet.writeEnv(i.name) : [] };
    },
  );
}

export async function addAgentAction(raw: unknown): Promise<ActionResult<ApplyResult>> {
  return runAction(
    { schema: addAgentInput, permission: 'roster.write', revalidate: ['/roster', '/'] },
    raw,
    (i, _u, s) => {
      const r = addAgent(s.home.roster, i.hash, {
        name: i.name,
        class: i.class,
        role: i.role,
        ...i.fields,
      });
      return { ...r, envFiles: s.fleet.writeEnv(i.name) };
    },
  );
}

export async function removeAgentAction(raw: unknown): Promise<ActionResult<ApplyResult>> {
  return runAction(
    { schema: removeAgentInput, permission: 'roster.write', revalidate: ['/roster', '/'] },
    raw,
    (i, _u, s) => ({
      ...removeAgent(s.home.roster, i.hash, i.name),
      envFiles: [],
    }),
  );
}
