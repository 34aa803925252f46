'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { SinceDigest } from '@/lib/attention/types';
import { fetchJson } from '@/lib/web/fetch-json';
import { inboxKeys } from '@/lib/web/query-keys';
import { ReasonBadge } from './reason-badge';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function counts(d: SinceDigest): string {
  return [
    `${d.raised} raised`,
    `${d.cleared} cleared`,
    plural(d.cards_done, 'card done', 'cards done'),
    `${d.cards_blocked} blocked`,
    plural(d.restarts, 'restart'),
  ].join(', ');
}

const nothingNew = (d: SinceDigest) =>
  d.items.length === 0 && d.raised + d.cleared + d.cards_done + d.cards_blocked + d.restarts === 0;

/**
 * "Since you were last here", on the fleet page. Fetched once per page load, never polled:
 * each fetch records a visit, so a refetch would make the next one say "nothing new".
 */
export function SinceDigestCard() {
  const q = useQuery({
    queryKey: inboxKeys.digest(),
    queryFn: () => fetchJson<SinceDigest>('/api/v1/inbox/digest'),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
  const [dismissed, setDismissed] = useState(false);
  const d = q.data;
  if (!d) return null;
  // a marker for tests and tools: the digest came and had nothing to say
  if (dismissed || nothingNew(d) || (d.since === null && d.items.length === 0)) {
    return <div hidden data-testid="since-digest-none" />;
  }
  return (
    <section
      data-testid="since-digest"
      data-first={d.since === null ? 'true' : 'false'}
      className="space-y-2 rounded-lg bg-indigo-50 px-4 py-3 text-sm text-indigo-950 ring-1 ring-indigo-200"
    >
      <div className="flex items-start gap-3">
        <p data-testid="since-digest-summary">
          {d.since === null ? (
            <>Welcome. These need you:</>
          ) : (
            <>
              Since {new Date(d.since).toLocaleString()}: {counts(d)}
              {d.items.length > 0 ? '. Still open:' : '.'}
            </>
          )}
        </p>
        <button
          type="button"
          onClick={() => setDismissed(true)}
          className="ml-auto text-xs text-indigo-700 hover:underline"
          data-testid="since-digest-dismiss"
        >
          Dismiss
        </button>
      </div>
      {d.items.length > 0 && (
        <ul className="space-y-1">
          {d.items.slice(0, 10).map((i) => (
            <li key={i.id} className="flex items-center gap-2">
              <ReasonBadge reason={i.reason} />
              <Link
                href={`/inbox#item-${i.id}`}
                className="text-indigo-700 hover:underline"
                data-testid={`since-digest-item-${i.id}`}
              >
                {i.title}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
