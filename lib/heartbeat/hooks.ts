import { cleanNote, type HeartbeatRecord, type HeartbeatStatus } from './protocol.js';

/**
 * Native state reports (`fleet hook <runtime> …`). Each runtime's adapter reads its own
 * payloads (lib/runtimes/<id>.ts, `native.hook`); what is common to all of them is here: how
 * a payload is parsed and what is recorded in run/<name>.status.
 */

/** Parse a hook payload leniently: hooks must never fail the runtime that calls them. */
export function parsePayload(text: string): unknown {
  try {
    return text.trim() ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** A string field of a parsed payload, or undefined when the payload has none. */
export function payloadString(payload: unknown, key: string): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const v = (payload as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The record a hook writes. The epoch is the launch's MOSAIC_AGENT_EPOCH, so a report from an
 * older incarnation is told apart from the running one (lib/launch/state.ts). The note is
 * cleaned here whatever the adapter did (cleanNote: one line, escaped, at most 300 chars).
 */
export function hookRecord(
  status: HeartbeatStatus,
  event: string,
  epochVar: string | undefined,
  nowMs: number,
  note?: string,
): HeartbeatRecord {
  const epoch = /^\d+$/.test(epochVar ?? '') ? Number(epochVar) : null;
  const rec: HeartbeatRecord = { ts: nowMs, pid: null, status, epoch, src: 'hook', event };
  const clean = note === undefined ? undefined : cleanNote(note);
  if (clean) rec.note = clean;
  return rec;
}
