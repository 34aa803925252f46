'use client';
import Link from 'next/link';
import { useState } from 'react';
import type { AttentionItem } from '@/lib/attention/types';
import { ItemActions, type Outcome } from './item-actions';
import { ReasonBadge } from './reason-badge';
import { Countdown, RelativeTime } from './time';

/** Only a path into the panel is followed: `/x`, never `//host` or another scheme. */
const panelPath = (link: string): string => (/^\/(?!\/)/.test(link) ? link : '/');

/** One inbox item: what, who, since when, the evidence as plain text, and what can be done. */
export function InboxItem({
  item,
  now,
  onOutcome,
}: {
  item: AttentionItem;
  now: number | null;
  /** told too: the row goes away once its answer clears the item */
  onOutcome(o: Outcome): void;
}) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const id = item.id;
  const acked = item.acked_at !== null;
  return (
    <li
      id={`item-${id}`}
      data-testid={`inbox-item-${id}`}
      data-id={id}
      data-reason={item.reason}
      data-agent={item.agent ?? ''}
      data-acked={acked ? 'true' : 'false'}
      className={`space-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 ${acked ? 'opacity-60' : ''}`}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <ReasonBadge reason={item.reason} testId={`reason-${id}`} />
        <span className="font-medium text-slate-900" data-testid={`title-${id}`}>
          {item.title}
        </span>
        {item.agent && (
          <Link
            href={`/agents/${encodeURIComponent(item.agent)}`}
            className="text-indigo-700 hover:underline"
            data-testid={`agent-${id}`}
          >
            {item.agent}
          </Link>
        )}
        {item.card && (
          <Link
            href={`/backlog?card=${encodeURIComponent(item.card)}`}
            className="font-mono text-xs text-indigo-700 hover:underline"
            data-testid={`card-${id}`}
          >
            {item.card}
          </Link>
        )}
        {item.reason === 'rate_limited' && item.reset_at && (
          <Countdown iso={item.reset_at} now={now} testId={`countdown-${id}`} />
        )}
        <span className="ml-auto text-xs text-slate-500">
          <RelativeTime iso={item.since} now={now} testId={`since-${id}`} />
        </span>
      </div>
      {item.evidence && (
        // already plain text with control characters escaped (lib/attention/types.ts): React
        // renders it as text, never as markup
        <pre
          data-testid={`evidence-${id}`}
          className="max-h-64 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs whitespace-pre-wrap text-slate-100"
        >
          {item.evidence}
        </pre>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <ItemActions
          item={item}
          onOutcome={(o) => {
            setOutcome(o);
            onOutcome(o);
          }}
        />
        <Link
          href={panelPath(item.link)}
          className="ml-auto text-sm font-medium text-indigo-700 hover:underline"
          data-testid={`go-${id}`}
        >
          Go →
        </Link>
      </div>
      {acked && (
        <p className="text-xs text-slate-600" data-testid={`acked-${id}`}>
          acknowledged by {item.acked_by ?? 'someone'}
        </p>
      )}
      {outcome && (
        <p
          role={outcome.ok ? 'status' : 'alert'}
          data-testid={outcome.ok ? `act-result-${id}` : `act-error-${id}`}
          className={`text-sm ${outcome.ok ? 'text-emerald-700' : 'rounded-md bg-rose-50 px-3 py-2 text-rose-700 ring-1 ring-rose-200'}`}
        >
          {outcome.text}
        </p>
      )}
    </li>
  );
}
