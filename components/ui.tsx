/** Small shared pieces of the panel's look: buttons, badges, cards. Presentational only. */
import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Tone = 'primary' | 'neutral' | 'danger' | 'warning';

const tones: Record<Tone, string> = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300',
  neutral:
    'bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'bg-rose-600 text-white hover:bg-rose-500 disabled:bg-rose-300',
  warning: 'bg-amber-500 text-white hover:bg-amber-400 disabled:bg-amber-300',
};

export function Button({
  tone = 'neutral',
  className = '',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone }) {
  return (
    <button
      type="button"
      {...rest}
      className={`inline-flex items-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm transition ${tones[tone]} ${className}`}
    />
  );
}

const badgeTones: Record<string, string> = {
  working: 'bg-sky-100 text-sky-800',
  available: 'bg-emerald-100 text-emerald-800',
  waiting: 'bg-amber-100 text-amber-800',
  stale: 'bg-orange-100 text-orange-800',
  dead: 'bg-rose-100 text-rose-800',
  unknown: 'bg-slate-100 text-slate-600',
  ready: 'bg-emerald-100 text-emerald-800',
  claimed: 'bg-sky-100 text-sky-800',
  blocked: 'bg-rose-100 text-rose-800',
  done: 'bg-slate-200 text-slate-700',
};

export function Badge({ value, testId }: { value: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${badgeTones[value] ?? badgeTones.unknown}`}
    >
      {value}
    </span>
  );
}

export function Panel({
  title,
  actions,
  children,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      {(title || actions) && (
        <header className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
          <h2 className="text-sm font-semibold text-slate-700">{title}</h2>
          <div className="flex gap-2">{actions}</div>
        </header>
      )}
      <div className="p-4">{children}</div>
    </section>
  );
}

export function ErrorNote({
  message,
  testId,
}: {
  message: string | null | undefined;
  testId?: string;
}) {
  if (!message) return null;
  return (
    <p
      role="alert"
      data-testid={testId}
      className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200"
    >
      {message}
    </p>
  );
}

export const inputClass =
  'block w-full rounded-md border-0 px-2 py-1.5 text-sm text-slate-900 ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-500 focus:outline-none';

/** Seconds as a short age: 4s, 3m, 2h. */
export function age(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}
