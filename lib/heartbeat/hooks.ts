import type { HeartbeatRecord, HeartbeatStatus } from './protocol.js';

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

/**
 * The record a hook writes. The epoch is the launch's MOSAIC_AGENT_EPOCH, so a report from an
 * older incarnation is told apart from the running one (lib/launch/state.ts).
 */
export function hookRecord(
  status: HeartbeatStatus,
  event: string,
  epochVar: string | undefined,
  nowMs: number,
): HeartbeatRecord {
  const epoch = /^\d+$/.test(epochVar ?? '') ? Number(epochVar) : null;
  return { ts: nowMs, pid: null, status, epoch, src: 'hook', event };
}
