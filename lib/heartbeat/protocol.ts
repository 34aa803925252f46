/**
 * Heartbeat protocol v1 (docs/runtimes.md): `run/<name>.hb` holds one line of `key=value` words,
 *
 *   ts=<iso8601> pid=<pid> status=<ok|busy|idle|waiting> epoch=<n> src=<self|sidecar>
 *
 * rewritten atomically on a fixed interval (default 15 s) and on every state change.
 * `ts`, `pid` and `status` are the v1 core; `epoch` (the spawn epoch of the incarnation that
 * wrote it) and `src` are additive, and unknown keys are ignored so writers can grow.
 * Healthy = fresh within 3 × interval; stale otherwise; a missing file = unknown.
 *
 * Hooks and notify (Claude Code, codex) report exact states into a second file,
 * `run/<name>.status`, in the same format (`src=hook event=<Event>`): one writer per file, so
 * a sidecar's periodic rewrite can never clobber a hook's report.
 */
const HEARTBEAT_STATUSES = ['ok', 'busy', 'idle', 'waiting'] as const;
export type HeartbeatStatus = (typeof HEARTBEAT_STATUSES)[number];

export const HEALTHY_FACTOR = 3;

export interface HeartbeatRecord {
  /** unix ms */
  ts: number;
  pid: number | null;
  status: HeartbeatStatus;
  epoch: number | null;
  src?: string;
  event?: string;
}

export function formatHeartbeat(r: HeartbeatRecord): string {
  const words = [`ts=${new Date(r.ts).toISOString()}`, `pid=${r.pid ?? 0}`, `status=${r.status}`];
  if (r.epoch !== null) words.push(`epoch=${r.epoch}`);
  if (r.src) words.push(`src=${r.src}`);
  if (r.event) words.push(`event=${r.event}`);
  return words.join(' ') + '\n';
}

const isStatus = (s: string): s is HeartbeatStatus =>
  (HEARTBEAT_STATUSES as readonly string[]).includes(s);

/** Parse one heartbeat file's text; null when it is not a v1 heartbeat (no valid ts or status). */
export function parseHeartbeat(text: string): HeartbeatRecord | null {
  const kv = new Map<string, string>();
  for (const word of text.trim().split(/\s+/)) {
    const eq = word.indexOf('=');
    if (eq > 0) kv.set(word.slice(0, eq), word.slice(eq + 1));
  }
  const ts = Date.parse(kv.get('ts') ?? '');
  const status = kv.get('status') ?? '';
  if (!Number.isFinite(ts) || !isStatus(status)) return null;
  const num = (k: string): number | null => {
    const v = kv.get(k);
    if (v === undefined || !/^\d+$/.test(v)) return null;
    return Number(v);
  };
  const rec: HeartbeatRecord = { ts, pid: num('pid'), status, epoch: num('epoch') };
  const src = kv.get('src');
  const event = kv.get('event');
  if (src) rec.src = src;
  if (event) rec.event = event;
  return rec;
}

export type Health = 'healthy' | 'stale' | 'unknown';

export function ageSeconds(rec: HeartbeatRecord, nowMs: number): number {
  return Math.max(0, (nowMs - rec.ts) / 1000);
}

export function health(
  rec: HeartbeatRecord | null,
  nowMs: number,
  intervalSeconds: number,
): Health {
  if (!rec) return 'unknown';
  return ageSeconds(rec, nowMs) <= HEALTHY_FACTOR * intervalSeconds ? 'healthy' : 'stale';
}
