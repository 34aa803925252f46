/** A card status as the board shows it: its column header and the editor's badge. Presentational. */
import type { CardStatusValue } from '@/lib/store/contract';

const TONES: Record<CardStatusValue, string> = {
  ready: 'bg-emerald-100 text-emerald-800',
  claimed: 'bg-sky-100 text-sky-800',
  review: 'bg-violet-100 text-violet-800',
  blocked: 'bg-rose-100 text-rose-800',
  done: 'bg-slate-200 text-slate-700',
};

export function StatusBadge({ status, testId }: { status: CardStatusValue; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${TONES[status]}`}
    >
      {status}
    </span>
  );
}
