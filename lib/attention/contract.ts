/** The inbox's wire inputs (fleetd's socket API and the panel's JSON API), zod-validated. */
import { z } from 'zod';
import { ATTENTION_ACTIONS } from './types.js';

export const itemId = z
  .string()
  .regex(/^a-[a-z0-9]{4,32}$/, 'an inbox item id looks like a-xxxxxxxxxx');
const by = z.string().trim().min(1).max(200);

export const ackInput = z.strictObject({ id: itemId, by });
export const actInput = z.strictObject({
  id: itemId,
  action: z.enum(ATTENTION_ACTIONS),
  /** a reply's text: typed literally (control characters are refused by the send) */
  text: z.string().min(1).max(100_000).optional(),
  by,
});
export const actBody = actInput.omit({ id: true, by: true });
