'use client';
import { useQuery } from '@tanstack/react-query';
import type { InboxView } from '@/lib/attention/types';
import { fetchJson } from '@/lib/web/fetch-json';
import { inboxKeys } from '@/lib/web/query-keys';

/**
 * The inbox. The navigation and the inbox page share this one query, so a page showing both
 * makes one request a change; the panel's event stream says when (components/live), in a
 * background tab too: that is when the browser notifications matter.
 */
export function useInbox(initial?: InboxView) {
  return useQuery({
    queryKey: inboxKeys.view(),
    queryFn: () => fetchJson<InboxView>('/api/v1/inbox'),
    initialData: initial,
  });
}
