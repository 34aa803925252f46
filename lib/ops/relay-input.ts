/**
 * The relay's inputs (lib/ops/relay.ts), apart from its IO so the panel's actions and the
 * client can check them: agent addresses, idempotency keys, a send's options.
 */
import { z } from 'zod';

export const sendPayload = z.strictObject({
  text: z.string(),
  source: z.string().nullable(),
  verify: z.boolean(),
  timeout_ms: z.number().int().min(0).max(600_000),
  wait_ms: z.number().int().min(0).max(3_600_000),
  when_idle: z.boolean(),
});
export type SendPayload = z.infer<typeof sendPayload>;

/** Agent addresses: `<agent>` or `<host>:<agent>` (lib/fleet/address.ts). */
export const agentAddress = z
  .string()
  .regex(/^([A-Za-z0-9._-]{1,253}:)?[a-z][a-z0-9_-]{0,47}$/, 'an agent name, or <host>:<agent>');

const commandKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, '8 to 128 letters, digits, dot, colon, dash or underscore');

/** The socket API's inputs (server/routes/relay.ts), shared with the client. */
export const relaySendInput = sendPayload.extend({ address: agentAddress, id: commandKey });
export type RelaySendInput = z.infer<typeof relaySendInput>;
export const relayLifecycleInput = z.strictObject({ address: agentAddress, id: commandKey });
export type RelayLifecycleInput = z.infer<typeof relayLifecycleInput>;
export const relayGetInput = z.strictObject({ id: commandKey });
