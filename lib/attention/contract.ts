/**
 * The inbox's wire inputs, one schema per answer for every edge: fleetd's socket API, the
 * panel's JSON API and its server actions (zod-validated).
 */
import { z } from 'zod';
import { ATTENTION_ACTIONS } from './types.js';

export const itemId = z
  .string()
  .regex(/^a-[a-z0-9]{4,32}$/, 'an inbox item id looks like a-xxxxxxxxxx');
const by = z.string().trim().min(1).max(200);

/** What an answer says: the action and, for a reply, its text — typed as given, never trimmed. */
const answerFields = {
  action: z.enum(ATTENTION_ACTIONS),
  text: z
    .string()
    .max(100_000)
    .refine((t) => t.trim().length > 0, 'say something')
    .optional(),
};

const replyHasText = <T extends { action: string; text?: string }>(i: T) =>
  i.action !== 'reply' || i.text !== undefined;
const replyIssue = { path: ['text'], message: 'a reply needs its text' };

/** The body of an answer whose item is named elsewhere (a URL path). */
export const actBody = z.strictObject(answerFields).refine(replyHasText, replyIssue);
/** An answer from the panel, naming its item. */
export const actRef = z
  .strictObject({ id: itemId, ...answerFields })
  .refine(replyHasText, replyIssue);
/** An answer over the socket API, which also says who gives it. */
export const actInput = z
  .strictObject({ id: itemId, ...answerFields, by })
  .refine(replyHasText, replyIssue);
/** An item named by its id alone (an acknowledgement from the panel, an id in a URL path). */
export const itemRef = z.strictObject({ id: itemId });
export const ackInput = z.strictObject({ id: itemId, by });
