/**
 * The long-poll loop behind every inbound connector (docs/connectors.md "Inbound"): poll from
 * a cursor, hand each message to the handler in order, save the cursor once the batch is
 * handled, and on any failure report it, back off and poll again, until the signal aborts.
 */
import { backoffMs, sleepUnlessAborted, type Sleep } from './http.js';
import { ConnectorError, type InboundMessage, type SubscribeOptions } from './types.js';

export interface PollBatch {
  messages: InboundMessage[];
  /** the cursor to save once every message is handled; null keeps the current one */
  cursor: string | null;
}

export interface PollSource {
  /** when there is no cursor: one call that skips history and returns where "now" is (or null) */
  skipHistory(signal: AbortSignal): Promise<string | null>;
  poll(cursor: string | null, signal: AbortSignal): Promise<PollBatch>;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Delivery is at least once: a batch whose handler throws is polled again from the same cursor
 * after the backoff, and only the messages this loop has not yet handled are handed over again.
 * A batch already received is handled to its end and saved even when the signal aborts meanwhile,
 * so a restart does not deliver it twice; the poll and the waits stop at once.
 */
export async function pollLoop(
  source: PollSource,
  handler: (m: InboundMessage) => Promise<void>,
  o: SubscribeOptions,
  sleep: Sleep,
): Promise<void> {
  const { signal } = o;
  let cursor = o.cursor;
  let skipped = cursor !== null;
  let failures = 0;
  let handled = new Set<string>();
  while (!signal.aborted) {
    try {
      if (!skipped) {
        const now = await source.skipHistory(signal);
        if (now !== null) await o.saveCursor(now);
        cursor = now;
        skipped = true;
      } else {
        const batch = await source.poll(cursor, signal);
        for (const m of batch.messages) {
          if (handled.has(m.id)) continue;
          await handler(m);
          handled.add(m.id);
        }
        if (batch.cursor !== null && batch.cursor !== cursor) {
          await o.saveCursor(batch.cursor);
          cursor = batch.cursor;
          handled = new Set();
        }
      }
      failures = 0;
    } catch (e) {
      if (signal.aborted) return;
      o.onError?.(asError(e));
      const asked = e instanceof ConnectorError ? (e.retryAfterMs ?? 0) : 0;
      await sleepUnlessAborted(sleep, Math.max(backoffMs(failures++), asked), signal);
    }
  }
}
