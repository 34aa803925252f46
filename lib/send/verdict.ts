/**
 * Verdicts of `fleet agent send --verify` (accepted, not just injected; fail
 * closed when delivery cannot be shown). A pure function over what the sender observed.
 *
 *  - submitted: typed, Enter pressed, and the input emptied with a screen change, or the agent
 *    reported busy after the send
 *  - queued: not typed yet (operator takeover, or busy for --when-idle); kept in run/queue/
 *  - typed_not_submitted: the text is still sitting in the input after Enter
 *  - refused_draft: the input already held someone's draft; nothing was typed (never merged)
 *  - no_evidence: the typed text never showed, or nothing shows what Enter did
 *  - send_failed: tmux failed, no session, or the pane is dead
 */
export const SEND_VERDICTS = [
  'submitted',
  'queued',
  'typed_not_submitted',
  'refused_draft',
  'no_evidence',
  'send_failed',
] as const;
export type SendVerdict = (typeof SEND_VERDICTS)[number];

export interface AfterEnter {
  /** the input line after Enter: empty, still holding text, or not recognisable */
  input: 'empty' | 'has_text' | 'unknown';
  /** the screen differs from the one seen after typing */
  changed: boolean;
  /** a heartbeat/hook report or the screen says busy since the send */
  busy: boolean;
}

export interface SendObservations {
  failed?: string | null;
  queued?: boolean;
  /** what the input held before typing ('' = empty, null = unreadable) */
  draft?: string | null;
  /** the typed text showed in the input before Enter */
  typedSeen: boolean;
  after: AfterEnter | null;
}

export function sendVerdict(o: SendObservations): SendVerdict {
  if (o.failed) return 'send_failed';
  if (o.queued) return 'queued';
  if (o.draft) return 'refused_draft';
  if (!o.typedSeen || !o.after) return 'no_evidence';
  const a = o.after;
  if (a.input === 'has_text') return 'typed_not_submitted';
  if (a.busy) return 'submitted';
  if (a.input === 'empty' && a.changed) return 'submitted';
  return 'no_evidence';
}

/** Exit status of `fleet agent send`: zero only for submitted and queued. */
export function verdictExitCode(v: SendVerdict | 'sent'): number {
  switch (v) {
    case 'submitted':
    case 'queued':
    case 'sent':
      return 0;
    case 'typed_not_submitted':
      return 20;
    case 'refused_draft':
      return 21;
    case 'no_evidence':
      return 22;
    case 'send_failed':
      return 23;
  }
}
