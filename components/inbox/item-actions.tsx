'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ackItemAction, actItemAction } from '@/app/actions/inbox';
import type { AttentionAction, AttentionItem } from '@/lib/attention/types';
import { inboxKeys } from '@/lib/web/query-keys';
import { ConfirmDialog } from '../confirm-dialog';
import { Button, inputClass } from '../ui';
import { ACTION_LABELS } from './reason-badge';

export interface Outcome {
  ok: boolean;
  text: string;
}

const TONES: Partial<Record<AttentionAction, 'primary' | 'danger' | 'warning'>> = {
  approve: 'primary',
  deny: 'danger',
  resume_agent: 'primary',
  resume_fleet: 'primary',
  restart_agent: 'warning',
};

/** Ask before these: they end what the agent is doing. */
const CONFIRM: Partial<Record<AttentionAction, string>> = {
  restart_agent:
    'The agent is killed and started again under a new epoch; work in its pane is lost.',
};

function ReplyBox(props: {
  id: string;
  busy: boolean;
  onSend(text: string): Promise<boolean>;
  onCancel(): void;
}) {
  const [text, setText] = useState('');
  async function send() {
    if (await props.onSend(text)) setText('');
  }
  return (
    <form
      className="mt-2 flex w-full flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <textarea
        autoFocus
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          }
        }}
        placeholder="typed to the agent exactly as written (Ctrl+Enter sends)"
        className={`${inputClass} font-mono`}
        data-testid={`reply-text-${props.id}`}
      />
      <div className="flex gap-2">
        <Button
          type="submit"
          tone="primary"
          disabled={props.busy || text.trim() === ''}
          data-testid={`reply-send-${props.id}`}
        >
          Send
        </Button>
        <Button onClick={props.onCancel} data-testid={`reply-cancel-${props.id}`}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** An item's one-tap answers, its reply box, and Acknowledge. */
export function ItemActions({
  item,
  onOutcome,
}: {
  item: AttentionItem;
  onOutcome(o: Outcome): void;
}) {
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [replying, setReplying] = useState(false);
  const [confirming, setConfirming] = useState<AttentionAction | null>(null);
  const id = item.id;

  async function settle(call: () => Promise<Outcome>): Promise<boolean> {
    setBusy(true);
    try {
      const r = await call();
      onOutcome(r);
      if (r.ok) await qc.invalidateQueries({ queryKey: inboxKeys.view() });
      return r.ok;
    } catch (e) {
      // the panel restarted or the network dropped: say so rather than leave a silent button
      onOutcome({ ok: false, text: e instanceof Error ? e.message : String(e) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  const act = (action: AttentionAction, text?: string) =>
    settle(async () => {
      const r = await actItemAction(text === undefined ? { id, action } : { id, action, text });
      return r.ok ? { ok: true, text: r.data.message } : { ok: false, text: r.error.message };
    });

  const ack = () =>
    settle(async () => {
      const r = await ackItemAction({ id });
      return r.ok
        ? { ok: true, text: `acknowledged by ${r.data.acked_by ?? 'you'}` }
        : { ok: false, text: r.error.message };
    });

  function press(action: AttentionAction) {
    if (action === 'reply') return setReplying((v) => !v);
    if (CONFIRM[action]) return setConfirming(action);
    void act(action);
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      {item.actions.map((a) => (
        <Button
          key={a}
          tone={TONES[a] ?? 'neutral'}
          disabled={busy}
          onClick={() => press(a)}
          data-testid={`${a}-${id}`}
        >
          {ACTION_LABELS[a]}
        </Button>
      ))}
      {!item.acked_at && (
        <Button disabled={busy} onClick={() => void ack()} data-testid={`ack-${id}`}>
          Acknowledge
        </Button>
      )}
      {replying && (
        <ReplyBox
          id={id}
          busy={busy}
          onCancel={() => setReplying(false)}
          onSend={async (text) => {
            const sent = await act('reply', text);
            if (sent) setReplying(false);
            return sent;
          }}
        />
      )}
      {confirming && (
        <ConfirmDialog
          open
          title={`${ACTION_LABELS[confirming]}${item.agent ? ` ${item.agent}` : ''}?`}
          confirmLabel={ACTION_LABELS[confirming]}
          tone="warning"
          busy={busy}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const a = confirming;
            setConfirming(null);
            void act(a);
          }}
        >
          {CONFIRM[confirming]}
        </ConfirmDialog>
      )}
    </div>
  );
}
