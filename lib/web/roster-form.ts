/**
 * The roster page's forms, derived from the one roster schema (lib/roster/schema.ts): each
 * field is the schema's own validator behind a small conversion from what an HTML form holds
 * (text, a checkbox, a comma list). Used by the browser (instant feedback) and by the server
 * action (the check that counts); saving re-validates the whole roster with parseRoster.
 * Pure: no IO, safe in the browser bundle.
 */
import { z } from 'zod';
import { agentSchema, type RosterAgent } from '../roster/schema.js';

/** What a form field holds for each editable roster field. */
export interface AgentFormValues {
  runtime: string;
  model: string;
  yolo: boolean;
  command: string;
  channels: string;
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
const blankToUndefined = (v: unknown) =>
  typeof v === 'string' && v.trim() === '' ? undefined : trimmed(v);
const list = (v: unknown) => {
  if (typeof v !== 'string') return v;
  const items = v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
};

const shape = agentSchema.shape;

/** The form's fields, each validated by the roster schema's own validator for that field. */
export const agentFieldsForm = z.strictObject({
  runtime: z.preprocess(trimmed, shape.runtime.unwrap()),
  model: z.preprocess(blankToUndefined, shape.model),
  yolo: shape.yolo.unwrap(),
  command: z.preprocess(blankToUndefined, shape.command),
  channels: z.preprocess(list, shape.channels),
});
export type AgentFields = z.output<typeof agentFieldsForm>;

const rosterHash = z.string().regex(/^[0-9a-f]{64}$/, 'missing or malformed roster hash');

export const saveAgentInput = z.strictObject({
  hash: rosterHash,
  name: shape.name,
  fields: agentFieldsForm,
});

export const addAgentInput = z.strictObject({
  hash: rosterHash,
  name: shape.name,
  class: z.preprocess(trimmed, shape.class),
  role: z.preprocess(blankToUndefined, shape.role),
  fields: agentFieldsForm,
});

export const removeAgentInput = z.strictObject({ hash: rosterHash, name: shape.name });

/** A command as one line of words, quoting where a word needs it (split back by splitCommand). */
export function commandText(cmd: RosterAgent['command']): string {
  if (cmd === undefined) return '';
  if (typeof cmd === 'string') return cmd;
  return cmd
    .map((w) => (w === '' || /[\s"'\\]/.test(w) ? `'${w.replace(/'/g, `'"'"'`)}'` : w))
    .join(' ');
}

/** The form's starting values for a roster agent (aliases folded: harness → runtime, model_hint → model). */
export function formValues(a: RosterAgent): AgentFormValues {
  return {
    runtime: a.runtime ?? a.harness ?? '',
    model: a.model ?? a.model_hint ?? '',
    yolo: a.yolo ?? false,
    command: commandText(a.command),
    channels: (a.channels ?? []).join(', '),
  };
}

/**
 * The roster fields a form submission changes: only what differs from the agent as loaded,
 * compared in form terms, so an untouched field keeps its exact spelling in roster.yaml (an
 * argv list stays a list; an absent `yolo` is not written as `false`). `undefined` deletes.
 */
export function changedFields(
  current: RosterAgent,
  submitted: AgentFields,
): Partial<Record<keyof RosterAgent, unknown>> {
  const before = formValues(current);
  const out: Partial<Record<keyof RosterAgent, unknown>> = {};
  if (submitted.runtime !== before.runtime) out.runtime = submitted.runtime;
  if ((submitted.model ?? '') !== before.model) out.model = submitted.model;
  if (submitted.yolo !== before.yolo)
    out.yolo = submitted.yolo ? true : current.yolo === undefined ? undefined : false;
  if (commandText(submitted.command) !== before.command) out.command = submitted.command;
  if ((submitted.channels ?? []).join(', ') !== before.channels) out.channels = submitted.channels;
  return out;
}
