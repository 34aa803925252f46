'use client';
import { useState } from 'react';
import type { InboxView } from '@/lib/attention/types';
import { ErrorNote } from '../ui';
import { InboxItem } from './inbox-item';
import type { Outcome } from './item-actions';
import { useNow } from './time';
import { useInbox } from './use-inbox';

/** The attention inbox: what needs the operator, newest first, live. */
export function InboxList({ initial }: { initial: InboxView }) {
  const q = useInbox(initial);
  // the navigation may have made the query first, without the server's view
  const view = q.data ?? initial;
  const now = useNow();
  const [last, setLast] = useState<(Outcome & { id: string }) | null>(null);
  const open = view.items.length - view.unacked;
  return (
    <div className="space-y-4" data-testid="inbox">
      <div>
        <h1 className="text-lg font-semibold">Inbox</h1>
        <p className="text-xs text-slate-500">
          tenant {view.tenant_id} · host {view.host} · {view.unacked} waiting
          {open > 0 ? ` · ${open} acknowledged` : ''} · updated{' '}
          {new Date(view.generated_at).toLocaleTimeString()}
        </p>
      </div>
      <ErrorNote message={q.error?.message} testId="inbox-error" />
      {last && !view.items.some((i) => i.id === last.id) && (
        // the item's row is gone once its answer cleared it: say what the answer did here
        <p
          role={last.ok ? 'status' : 'alert'}
          data-testid="inbox-notice"
          className={`text-sm ${last.ok ? 'text-emerald-700' : 'text-rose-700'}`}
        >
          {last.text}
        </p>
      )}
      {view.items.length === 0 ? (
        <p
          data-testid="inbox-empty"
          className="rounded-lg bg-white px-4 py-8 text-center text-sm text-slate-500 ring-1 ring-slate-200"
        >
          Nothing needs you.
        </p>
      ) : (
        <ul className="space-y-3" data-testid="inbox-items">
          {view.items.map((item) => (
            <InboxItem
              key={item.id}
              item={item}
              now={now}
              onOutcome={(o) => setLast({ ...o, id: item.id })}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
