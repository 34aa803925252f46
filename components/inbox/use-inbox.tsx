'use client';
import { useQuery } from '@tanstack/react-query';
import type { InboxView } from '@/lib/attention/types';
import { fetchJson } from '@/lib/web/fetch-json';
import { inboxKeys } from '@/lib/web/query-keys';

/** Once a second: a prompt answered a second late costs an agent a second of work. */
export const INBOX_POLL_MS = 1000;

/**
 * The inbox, polled. The navigation and the inbox page share this one query, so a page showing
 * both makes one request a tick. It keeps polling in a background tab: that is when the
 * browser notifications matter.
 */
export function useInbox(initial?: InboxView) {
  return useQuery({
    queryKey: inboxKeys.view(),
    queryFn: () => fetchJson<InboxView>('/api/v1/inbox'),
    initialData: initial,
    refetchInterval: INBOX_POLL_MS,
    refetchIntervalInBackground: true,
  });
}
