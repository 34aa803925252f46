/**
 * What a runtime's own hook said a human must do (pure; docs/runtimes.md "Findings"). Claude
 * Code's Notification hook records its message as the note of run/<name>.status
 * (lib/runtimes/claude.ts, `note=permission_prompt: Claude needs your permission to use Bash`):
 * a `waiting` record with a note is a permission prompt when it says so, else a question. The
 * result has the shape of a screen's reading (lib/attention/rules.ts ScreenNeed), so the inbox
 * can take either.
 */
import { cleanNote } from '../heartbeat/protocol.js';

export interface HookNeedRecord {
  status: string;
  event?: string;
  note?: string;
}

export interface HookNeed {
  reason: 'permission' | 'question';
  /** `<runtime>: <note>`, control characters escaped (the note at most 300 chars) */
  evidence: string;
  /** a hook never tells a reset time */
  resetAt: null;
}

/** `permission_prompt`, "needs your permission to use Bash", an approval request */
const PERMISSION = /permission|approv/i;

/**
 * Null unless the record says `waiting` and carries a note; records written before notes
 * existed have none, and then the screen is the only witness.
 */
export function hookNeed(
  record: HookNeedRecord | null,
  runtimeTitle = 'Claude Code',
): HookNeed | null {
  if (record?.status !== 'waiting' || record.note === undefined) return null;
  // cleaned again: the record may come from anywhere, the inbox shows it as it is
  const note = cleanNote(record.note);
  if (!note) return null;
  return {
    reason: PERMISSION.test(note) ? 'permission' : 'question',
    evidence: `${runtimeTitle}: ${note}`,
    resetAt: null,
  };
}
