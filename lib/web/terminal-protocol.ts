/**
 * The terminal WebSocket's wire protocol: one zod-validated tagged union per direction
 * (docs/architecture.md "Web"). A `watch` connection has no client message type at all — read-only by
 * construction, not by a flag checked later: the server closes a watch socket on any frame the
 * browser sends. Only a `takeover` connection accepts `input` and `resize`.
 *
 * Shared by the browser (components/terminal) and the server (server/web/terminal.ts).
 */
import { z } from 'zod';

export const TERMINAL_MODES = ['watch', 'takeover'] as const;
export type TerminalMode = (typeof TERMINAL_MODES)[number];

/** Path of the terminal socket for one agent; the mode is a query parameter. */
export const TERMINAL_PATH_RE = /^\/ws\/terminal\/([a-z][a-z0-9_-]{0,47})$/;
export const terminalPath = (agent: string, mode: TerminalMode): string =>
  `/ws/terminal/${encodeURIComponent(agent)}?mode=${mode}`;

const size = { cols: z.int().min(2).max(1000), rows: z.int().min(2).max(500) };

/** server → browser */
const serverMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('output'), data: z.string() }),
  /** the geometry the browser should draw at: the agent window's size, never the viewer's */
  z.strictObject({ type: z.literal('resize'), ...size }),
  z.strictObject({ type: z.literal('exit'), code: z.int().nullable(), reason: z.string() }),
  z.strictObject({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** browser → server on a takeover socket; a watch socket has no such schema */
const takeoverClientMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('input'), data: z.string().max(64 * 1024) }),
  z.strictObject({ type: z.literal('resize'), ...size }),
]);
export type TakeoverClientMessage = z.infer<typeof takeoverClientMessage>;

/** Close codes (4000–4999 are the application's). */
export const CLOSE = {
  normal: 1000,
  /** a frame a watch socket may never receive, or a malformed one */
  policy: 1008,
  unknownAgent: 4404,
  agentGone: 4410,
  takeoverHeld: 4409,
  serverStopping: 4503,
} as const;

export function encode(msg: ServerMessage | TakeoverClientMessage): string {
  return JSON.stringify(msg);
}

export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const r = serverMessage.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function parseTakeoverMessage(text: string): TakeoverClientMessage | null {
  try {
    const r = takeoverClientMessage.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
