'use client';
export { useNow } from '../clock';

/** Milliseconds as "4m 12s", "2h 5m", "3d 4h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** "3m 4s ago", with the exact time on hover. */
export function RelativeTime({
  iso,
  now,
  testId,
}: {
  iso: string;
  now: number | null;
  testId?: string;
}) {
  const at = Date.parse(iso);
  return (
    <time
      dateTime={iso}
      data-testid={testId}
      title={now === null ? undefined : new Date(at).toLocaleString()}
    >
      {now === null ? '' : `${formatDuration(now - at)} ago`}
    </time>
  );
}

/** A rate limit's reset: "resumes in 4m 12s", live. */
export function Countdown({
  iso,
  now,
  testId,
}: {
  iso: string;
  now: number | null;
  testId?: string;
}) {
  const at = Date.parse(iso);
  if (now === null || Number.isNaN(at)) return null;
  const left = at - now;
  return (
    <span
      data-testid={testId}
      title={new Date(at).toLocaleString()}
      className="text-xs font-medium text-violet-800"
    >
      {left > 0 ? `resumes in ${formatDuration(left)}` : 'the limit has reset'}
    </span>
  );
}
