import { z } from 'zod';
import { CARD_ID_RE, acceptanceSchema, cardBody, cardLabel, cardTitle } from '../store/contract.js';

/** NORTH_STAR.yaml: the machine-readable mission the planner turns into backlog cards. */
const id = z.string().regex(CARD_ID_RE, 'ids are card ids: letters, digits, . _ : - (max 128)');
const text = z.string().trim().min(1);
const item = z.strictObject({ id, text });

const PRIORITY_WORDS = {
  'must-have': 300,
  'should-have': 200,
  'could-have': 100,
  'wont-have': 0,
} as const;

/** A goal becomes a card (lib/northstar/plan.ts): its fields obey the card's rules. */
const goalSchema = z.strictObject({
  id,
  title: cardTitle,
  body: cardBody.optional(),
  phase: z.union([z.int().min(0), cardLabel]),
  priority: z.union([
    z.enum(Object.keys(PRIORITY_WORDS) as [keyof typeof PRIORITY_WORDS]),
    z.int(),
  ]),
  depends_on: z.array(id).default([]),
  workstream: id.optional(),
  assignee_class: cardLabel.optional(),
  acceptance: acceptanceSchema.optional(),
  projected_spend: z.number().min(0).optional(),
});

export const northStarSchema = z.strictObject({
  version: z.literal(1),
  mission: text,
  substrate: z.strictObject({ note: text }).optional(),
  standing_objectives: z.array(item).default([]),
  success_criteria: z.array(item).default([]),
  workstreams: z.array(z.strictObject({ id, title: text })).default([]),
  goals: z.array(goalSchema),
  assumptions: z
    .array(z.strictObject({ id, text, vetoable: z.boolean().default(true) }))
    .default([]),
  spend: z.strictObject({ advisory: z.boolean(), note: text.optional() }).optional(),
});

export type NorthStar = z.output<typeof northStarSchema>;
export type Goal = z.output<typeof goalSchema>;

export function priorityValue(p: Goal['priority']): number {
  return typeof p === 'number' ? p : PRIORITY_WORDS[p];
}
