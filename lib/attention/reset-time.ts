/**
 * When a usage limit resets, read off the words a runtime prints (pure; docs/runtimes.md
 * "Attention"). Runtimes say it in many ways: Claude Code `resets 3pm (Europe/Paris)` or
 * `resets May 5 at 9pm (America/New_York)`, codex `try again in 2 days 5 hours` or
 * `Try again at 3:04 PM`, gemini `reset after 2h52m39s`, provider JSON `"resets_at": 1767000000`.
 *
 * A clock time without a date is the next such time: one earlier than now means tomorrow,
 * except one at most RECENT_PAST_MS ago, which is a limit that has just reset (a screen read
 * a moment after its reset time still shows it). Times are read in the zone the text names
 * (`(Europe/Paris)`, `UTC`), else in `timeZone`, else in the host's zone.
 */

/** A clock time this little in the past is today's (just reset), not tomorrow's. */
export const RECENT_PAST_MS = 5 * 60_000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?`;
const DAY = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;

/** `3pm`, `3:30 pm`, `15:00`, `14:05:09`, `3:04 PM.`: a bare number is not a time. */
const TIME = /^(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?(?!\d)(?:\s*([ap])\.?m\b\.?)?/i;
/** `May 5 at …`, `Sep 29th, 2026 12:55 AM`, `Oct 15th, 2026` (then midnight) */
const DATE_FIRST = new RegExp(
  String.raw`^${MONTH}\s+${DAY}(?:,?\s+(\d{4}))?(?![\d:])[,\s]*(?:at\s+)?`,
  'i',
);
/** `03:31 on 5 Feb`, `9pm on Feb 5, 2027` */
const DATE_AFTER = new RegExp(
  String.raw`^\s+on\s+(?:${DAY}\s+${MONTH}|${MONTH}\s+${DAY})(?:,?\s+(\d{4}))?(?!\d)`,
  'i',
);
/** `(Europe/Paris)`, `(UTC)`, `(Etc/GMT+5)`, or a bare ` UTC` / ` GMT` */
const ZONE = /^\s*(?:\(([A-Za-z][\w+\-/]{0,63})\)|(UTC|GMT)\b)/;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };
const PART = String.raw`(\d+(?:\.\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])`;
const DURATION = new RegExp(String.raw`^(?:${PART}(?:\s*,?\s*(?:and\s+)?))+`, 'i');

/** Words after which a reset time follows (`resets`, `reset at`, `try again at|in`, …). */
const KEYWORD =
  /\b(?:resets?|try again|retry|available again|continuing automatically)\b(?:\s+(?:at|on)\b)?/gi;
const JSON_EPOCH =
  /(?:\b(?:resets?_?at|reset_?time)["']?\s*[:=]\s*["']?|limit reached\|)(\d{13}|\d{10})(?!\d)/i;
const JSON_SECONDS = /\bresets?_in_seconds["']?\s*[:=]\s*(\d+)/i;
const ISO =
  /\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?\s*(Z|[+-]\d{2}:?\d{2})?(?![\d:])/;
const BARE_IN = /\bin\s+(?=\d)/gi;

export function parseResetTime(text: string, nowMs: number, timeZone?: string): number | null {
  const zone = timeZone && validZone(timeZone) ? timeZone : hostZone();
  const epoch = JSON_EPOCH.exec(text);
  if (epoch) return epoch[1]!.length === 13 ? Number(epoch[1]) : Number(epoch[1]) * 1000;
  const secs = JSON_SECONDS.exec(text);
  if (secs) return nowMs + Number(secs[1]) * 1000;

  for (const k of text.matchAll(KEYWORD)) {
    const rest = text.slice(k.index + k[0].length);
    const at = readClock(rest.replace(/^\s+/, ''), nowMs, zone);
    if (at !== null) return at;
    const inAfter = /^\s+(?:in|after)\s+/i.exec(rest);
    const d = inAfter ? readDuration(rest.slice(inAfter[0].length)) : null;
    if (d !== null) return nowMs + d;
  }

  const iso = ISO.exec(text);
  if (iso) return isoTime(iso, zone);

  for (const m of text.matchAll(BARE_IN)) {
    // aider's own backoff (`Retrying in 0.5 seconds`) is not the limit's reset
    if (/retrying\s*$/i.test(text.slice(0, m.index))) continue;
    const d = readDuration(text.slice(m.index + m[0].length));
    if (d !== null) return nowMs + d;
  }
  return null;
}

function readDuration(s: string): number | null {
  const m = DURATION.exec(s);
  if (!m) return null;
  let ms = 0;
  for (const p of m[0].matchAll(new RegExp(PART, 'gi'))) {
    ms += Number(p[1]) * UNIT_MS[p[2]!.toLowerCase()[0]!]!;
  }
  return Math.round(ms);
}

interface Clock {
  h: number;
  mi: number;
  s: number;
  len: number;
}

function readTime(s: string): Clock | null {
  const m = TIME.exec(s);
  if (!m || (m[2] === undefined && m[4] === undefined)) return null;
  let h = Number(m[1]);
  const mi = Number(m[2] ?? 0);
  const sec = Number(m[3] ?? 0);
  if (mi > 59 || sec > 59) return null;
  if (m[4]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (m[4].toLowerCase() === 'p' ? 12 : 0);
  } else if (h > 23) return null;
  return { h, mi, s: sec, len: m[0].length };
}

interface Ymd {
  y: number;
  mo: number;
  d: number;
}

function month(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** A date and/or clock time at the start of `s`, as epoch ms, or null when there is none. */
function readClock(s: string, nowMs: number, fallbackZone: string): number | null {
  let date: (Omit<Ymd, 'y'> & { y: number | null }) | null = null;
  let rest = s;
  const df = DATE_FIRST.exec(rest);
  if (df) {
    date = { mo: month(df[1]!), d: Number(df[2]), y: df[3] ? Number(df[3]) : null };
    rest = rest.slice(df[0].length);
  }
  const time = readTime(rest);
  if (!time && !date) return null;
  if (time) rest = rest.slice(time.len);
  if (!date) {
    const da = DATE_AFTER.exec(rest);
    if (da) {
      const [mo, d] = da[1] ? [month(da[2]!), Number(da[1])] : [month(da[3]!), Number(da[4])];
      date = { mo, d, y: da[5] ? Number(da[5]) : null };
      rest = rest.slice(da[0].length);
    }
  }
  const z = ZONE.exec(rest);
  const named = z ? (z[1] ?? z[2])! : null;
  const zone = named && validZone(named) ? named : fallbackZone;
  const clock = time ?? { h: 0, mi: 0, s: 0, len: 0 };
  if (date) return datedTime(date, clock, nowMs, zone);
  const today = wallDate(nowMs, zone);
  const at = zonedTime(today, clock, zone);
  return at >= nowMs - RECENT_PAST_MS ? at : zonedTime(addDays(today, 1), clock, zone);
}

function datedTime(
  date: Omit<Ymd, 'y'> & { y: number | null },
  clock: Clock,
  nowMs: number,
  zone: string,
): number | null {
  if (date.mo < 1 || date.d < 1 || date.d > 31) return null;
  if (date.y !== null) return zonedTime({ ...date, y: date.y }, clock, zone);
  // no year: this year's, unless that is well past (a December screen naming January)
  const y = wallDate(nowMs, zone).y;
  const at = zonedTime({ ...date, y }, clock, zone);
  return at >= nowMs - 86_400_000 ? at : zonedTime({ ...date, y: y + 1 }, clock, zone);
}

function isoTime(m: RegExpExecArray, zone: string): number {
  const n = (i: number): number => Number(m[i] ?? 0);
  const [y, mo, d, h, mi, s] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const off = m[8];
  if (!off) return zonedTime({ y, mo, d }, { h, mi, s }, zone) + ms;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (off === 'Z') return utc;
  const sign = off.startsWith('-') ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

// ---- time zones (Intl only: no library) ------------------------------------------------------

function hostZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    // RangeError: not a zone Intl knows
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `zone` at instant `ms` (seconds precision). */
function wallClock(ms: number, zone: string): Ymd & { h: number; mi: number; s: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
}

function wallDate(ms: number, zone: string): Ymd {
  const { y, mo, d } = wallClock(ms, zone);
  return { y, mo, d };
}

function addDays(date: Ymd, days: number): Ymd {
  const t = new Date(Date.UTC(date.y, date.mo - 1, date.d + days));
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** How far `zone`'s wall clock is ahead of UTC at instant `ms`. */
function offsetAt(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(ms / 1000) * 1000;
}

/** The instant at which `zone`'s wall clock shows this date and time. */
function zonedTime(date: Ymd, c: Omit<Clock, 'len'>, zone: string): number {
  const asUtc = Date.UTC(date.y, date.mo - 1, date.d, c.h, c.mi, c.s);
  const first = asUtc - offsetAt(asUtc, zone);
  // a second pass lands on the right side of a DST change between the guess and the answer
  return asUtc - offsetAt(first, zone);
}
