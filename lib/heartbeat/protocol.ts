/**
 * Heartbeat protocol v1 (docs/runtimes.md): `run/<name>.hb` holds one line of `key=value` words,
 *
 *   ts=<iso8601> pid=<pid> status=<ok|busy|idle|waiting> epoch=<n> src=<self|fleetd>
 *
 * rewritten atomically on a fixed interval (default 15 s) and on every state change.
 * `ts`, `pid` and `status` are the v1 core; `epoch` (the spawn epoch of the incarnation that
 * wrote it) and `src` are additive, and unknown keys are ignored so writers can grow.
 * Healthy = fresh within 3 × interval; stale otherwise; a missing file = unknown.
 *
 * Hooks and notify (Claude Code, codex) report exact states into a second file,
 * `run/<name>.status`, in the same format (`src=hook event=<Event>`, and `note=<text>` when the
 * runtime said why, e.g. Claude Code's "Claude needs your permission to use Bash"): one writer
 * per file, so fleetd's periodic rewrite from the screen (`src=fleetd`,
 * lib/heartbeat/screen-beat.ts) can never clobber a hook's report.
 *
 * A value is one word: `%`, whitespace and control characters in it are written as UTF-8
 * `%XX` (`note=permission_prompt:%20Claude%20needs…`), so text from a runtime can never add or
 * override a key, for this parser or an older one that ignores `note`.
 */
import { isControl } from '../control-chars.js';

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
  /**
   * what the runtime said about this state (hook records only; absent in older records): one
   * line, control characters escaped as `\xNN`, at most MAX_NOTE characters (cleanNote)
   */
  note?: string;
}

/** The longest note a record holds, in UTF-16 code units (an ellipsis ends a cut one). */
export const MAX_NOTE = 300;

/**
 * A runtime's text as a record's note: trimmed, every control character written out as `\xNN`
 * (lib/control-chars.ts: in a terminal or a chat message they would act, not show), cut to
 * MAX_NOTE with `…` and never inside an escape or a surrogate pair; undefined when empty.
 * Idempotent, so writer and reader can both apply it.
 */
export function cleanNote(text: string): string | undefined {
  const pieces = Array.from(text.trim(), (ch) =>
    ch.length === 1 && isControl(ch.charCodeAt(0))
      ? `\\x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
      : ch,
  );
  const whole = pieces.join('');
  if (whole.length <= MAX_NOTE) return whole || undefined;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > MAX_NOTE - 1) break;
    out += piece;
  }
  return out.trimEnd() + '…';
}

/** One word for a `key=value`: see the header. */
function encodeValue(v: string): string {
  return v.replace(/[%\s\p{Cc}]/gu, (ch) => encodeURIComponent(ch));
}

/** A hand-edited `%` that is not an escape is kept as written. */
function decodeValue(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function formatHeartbeat(r: HeartbeatRecord): string {
  const words = [`ts=${new Date(r.ts).toISOString()}`, `pid=${r.pid ?? 0}`, `status=${r.status}`];
  if (r.epoch !== null) words.push(`epoch=${r.epoch}`);
  if (r.src) words.push(`src=${r.src}`);
  if (r.event) words.push(`event=${encodeValue(r.event)}`);
  const note = r.note === undefined ? undefined : cleanNote(r.note);
  if (note) words.push(`note=${encodeValue(note)}`);
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
  const note = cleanNote(decodeValue(kv.get('note') ?? ''));
  if (src) rec.src = src;
  if (event) rec.event = decodeValue(event);
  if (note) rec.note = note;
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
