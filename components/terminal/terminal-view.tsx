'use client';
import '@xterm/xterm/css/xterm.css';
import type { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import {
  CLOSE,
  encode,
  parseServerMessage,
  terminalPath,
  type TerminalMode,
} from '@/lib/web/terminal-protocol';

export type TerminalState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'refused';

/** Close codes after which reconnecting cannot help. */
const FINAL = new Set<number>([CLOSE.policy, CLOSE.takeoverHeld]);

/**
 * An agent's pane in the browser. Watch: xterm's stdin is disabled and no key handler is
 * attached — and the socket protocol has no input message anyway. Takeover: keys go to the
 * pane as `input` messages. The view reconnects (with backoff) after a network drop or a
 * restart of the agent; tmux redraws the whole screen on every attach.
 */
export function TerminalView({
  agent,
  mode,
  onState,
  compact = false,
}: {
  agent: string;
  mode: TerminalMode;
  onState?(state: TerminalState, note: string | null): void;
  /** a small tile of the monitor wall: tiny font, short scrollback, no status line */
  compact?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<TerminalState>('connecting');
  const [note, setNote] = useState<string | null>(null);
  /** sockets opened so far: more than one means the view reconnected */
  const [connects, setConnects] = useState(0);
  const report = useRef(onState);
  report.current = onState;

  useEffect(() => {
    let disposed = false;
    let ws: WebSocket | null = null;
    let term: Terminal | null = null;
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const set = (s: TerminalState, n: string | null = null) => {
      setState(s);
      setNote(n);
      report.current?.(s, n);
    };

    const connect = () => {
      if (disposed) return;
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      const sock = new WebSocket(`${scheme}://${window.location.host}${terminalPath(agent, mode)}`);
      ws = sock;
      sock.onopen = () => {
        retry = 0;
        setConnects((n) => n + 1);
        term?.reset();
        set('live');
        if (mode === 'takeover') term?.focus();
      };
      sock.onmessage = (ev: MessageEvent<string>) => {
        const msg = parseServerMessage(ev.data);
        if (!msg || !term) return;
        if (msg.type === 'output') term.write(msg.data);
        else if (msg.type === 'resize') term.resize(msg.cols, msg.rows);
        else if (msg.type === 'error') setNote(msg.message);
        else if (msg.type === 'exit') setNote(msg.reason);
      };
      sock.onclose = (ev) => {
        if (disposed || ws !== sock) return;
        if (FINAL.has(ev.code)) return set('refused', ev.reason || 'closed by the server');
        set(ev.code === CLOSE.agentGone ? 'ended' : 'reconnecting', ev.reason || null);
        timer = setTimeout(connect, Math.min(5000, 250 * 2 ** retry++));
      };
    };

    void import('@xterm/xterm').then(({ Terminal: XTerm }) => {
      if (disposed || !host.current) return;
      term = new XTerm({
        disableStdin: mode === 'watch',
        cursorBlink: mode === 'takeover',
        cursorStyle: mode === 'watch' ? 'underline' : 'block',
        fontSize: compact ? 6 : 13,
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
        scrollback: compact ? 200 : 5000,
        theme: { background: '#0f172a', foreground: '#e2e8f0' },
      });
      term.open(host.current);
      if (mode === 'takeover') {
        term.onData((data) => {
          if (ws?.readyState === WebSocket.OPEN) ws.send(encode({ type: 'input', data }));
        });
      }
      connect();
    });

    return () => {
      // StrictMode mounts twice in dev: each mount must close its own socket and tmux client
      disposed = true;
      clearTimeout(timer);
      ws?.close(1000);
      term?.dispose();
    };
  }, [agent, mode, compact]);

  const screen = (
    <div
      ref={host}
      data-testid="terminal"
      data-mode={mode}
      data-state={state}
      data-connects={connects}
    />
  );
  if (compact) return <div className="overflow-hidden rounded-md bg-slate-900 p-1">{screen}</div>;
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-2 text-xs text-slate-500">
        <span
          data-testid="terminal-state"
          data-state={state}
          className={`inline-block h-2 w-2 rounded-full ${state === 'live' ? 'bg-emerald-500' : state === 'refused' ? 'bg-rose-500' : 'bg-amber-400'}`}
        />
        <span>
          {mode === 'watch' ? 'watching (read-only)' : 'TAKEOVER — your keys go to the agent'} ·{' '}
          {state}
          {note ? ` · ${note}` : ''}
        </span>
      </div>
      <div className="overflow-auto rounded-md bg-slate-900 p-2">{screen}</div>
    </div>
  );
}
