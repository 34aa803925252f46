'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { InboxView } from '@/lib/attention/types';
import { aboutLine } from './reason-badge';
import { useInbox } from './use-inbox';

/** The operator's choice, per browser: the permission alone would also cover other tabs' pages. */
const CHOICE_KEY = 'mosaic-fleet.inbox-notifications';

type NotifyState = 'unsupported' | 'blocked' | 'off' | 'on';

function readChoice(): boolean {
  try {
    return localStorage.getItem(CHOICE_KEY) === 'on';
  } catch {
    return false; // storage refused (a privacy mode): ask again next time
  }
}

function writeChoice(on: boolean): void {
  try {
    if (on) localStorage.setItem(CHOICE_KEY, 'on');
    else localStorage.removeItem(CHOICE_KEY);
  } catch {
    // the choice then lasts for this page only
  }
}

function currentState(): NotifyState {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  return Notification.permission === 'granted' && readChoice() ? 'on' : 'off';
}

/** Opted in or not; null until mounted (the server knows neither the permission nor storage). */
function useNotifyChoice() {
  const [state, setState] = useState<NotifyState | null>(null);
  useEffect(() => setState(currentState()), []);
  async function toggle() {
    if (state === 'on') {
      writeChoice(false);
      return setState('off');
    }
    const p = await Notification.requestPermission();
    writeChoice(p === 'granted');
    setState(p === 'granted' ? 'on' : p === 'denied' ? 'blocked' : 'off');
  }
  return { state, toggle };
}

/**
 * One browser notification per item that appears while a page is open and unacknowledged: the
 * items of the first answer are what the operator already sees, so they are not announced.
 */
function useItemNotifications(view: InboxView | undefined, on: boolean) {
  const router = useRouter();
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!view) return;
    if (seen.current === null) {
      seen.current = new Set(view.items.map((i) => i.id));
      return;
    }
    for (const item of view.items) {
      if (seen.current.has(item.id)) continue;
      seen.current.add(item.id);
      if (!on || item.acked_at) continue;
      try {
        const n = new Notification(item.title, { body: aboutLine(item), tag: item.id });
        n.onclick = () => {
          window.focus();
          n.close();
          router.push(`/inbox#item-${item.id}`);
        };
      } catch {
        // a browser that only notifies through a service worker (Android): the badge still counts
      }
    }
  }, [view, on, router]);
}

const NOTIFY_LABELS: Record<NotifyState, string> = {
  unsupported: '',
  blocked: 'Notifications blocked',
  off: 'Notify me',
  on: 'Notifying',
};

/** The navigation's Inbox link with its live count, and the browser-notification opt-in. */
export function InboxNav({ active }: { active: boolean }) {
  const q = useInbox();
  const notify = useNotifyChoice();
  useItemNotifications(q.data, notify.state === 'on');
  const count = q.data?.unacked ?? 0;
  return (
    <>
      <Link
        href="/inbox"
        data-testid="nav-inbox"
        className={`flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-indigo-50 text-indigo-700' : 'text-slate-600 hover:bg-slate-100'}`}
      >
        Inbox
        {count > 0 && (
          <span
            data-testid="nav-inbox-count"
            data-count={count}
            aria-label={`${count} waiting`}
            className="min-w-5 rounded-full bg-rose-600 px-1.5 text-center text-xs leading-5 font-semibold text-white"
          >
            {count}
          </span>
        )}
      </Link>
      {notify.state !== null && notify.state !== 'unsupported' && (
        <button
          type="button"
          data-testid="notify-optin"
          data-state={notify.state}
          disabled={notify.state === 'blocked'}
          onClick={() => void notify.toggle()}
          title={
            notify.state === 'on'
              ? 'New inbox items raise a browser notification; click to stop'
              : notify.state === 'blocked'
                ? 'This browser blocks notifications from the panel (site settings)'
                : 'Raise a browser notification for each new inbox item'
          }
          className={`rounded-md px-2 py-1.5 text-xs font-medium ${notify.state === 'on' ? 'text-indigo-700' : 'text-slate-500 hover:bg-slate-100'} disabled:cursor-not-allowed disabled:opacity-60`}
        >
          {NOTIFY_LABELS[notify.state]}
        </button>
      )}
    </>
  );
}
