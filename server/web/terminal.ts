/**
 * The terminal bridge: one browser socket ↔ one PTY running a tmux client attached to the
 * agent's session (node-pty; argv and env from lib/ops/fleet-view.ts). Watch attaches
 * read-only and has no input path at all; takeover attaches to a private session that shows
 * only the agent's pane and lets no key reach tmux itself (lib/tmux/takeover.ts), and holds the
 * takeover marker for as long as the socket lives, so others see who holds it and automated
 * sends queue meanwhile.
 */
import os from 'node:os';
import type { IPty } from 'node-pty';
import type { WebSocket } from 'ws';
import { FleetError } from '@/lib/errors.js';
import {
  holdTakeover,
  prepareAttach,
  releaseTakeover,
  type AttachCommand,
  type FleetStateOptions,
} from '@/lib/ops/fleet-view.js';
import {
  CLOSE,
  encode,
  parseTakeoverMessage,
  type ServerMessage,
  type TerminalMode,
} from '@/lib/web/terminal-protocol.js';
import { DEFAULT_BATCHING, OutputBatcher, type BatcherOptions } from './batcher.js';

export interface TerminalRequest {
  agent: string;
  mode: TerminalMode;
  /** the signed-in operator (email), recorded in the takeover marker */
  user: string;
}

export interface TerminalDeps {
  fleet: FleetStateOptions;
  spawnPty(
    file: string,
    args: string[],
    opts: { cols: number; rows: number; env: Record<string, string>; cwd: string },
  ): IPty;
  batching?: BatcherOptions;
  log(line: string): void;
}

function send(ws: WebSocket, msg: ServerMessage, sent?: () => void): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(encode(msg), sent ? () => sent() : undefined);
}

function fail(ws: WebSocket, code: number, errCode: string, message: string): void {
  send(ws, { type: 'error', code: errCode, message });
  ws.close(code, message.slice(0, 120));
}

function closeCodeFor(e: unknown): { close: number; code: string } {
  const code = (e as { code?: unknown })?.code;
  if (code === 'AGENT_NOT_FOUND' || code === 'NOT_FOUND')
    return { close: CLOSE.unknownAgent, code: String(code) };
  if (code === 'CONFLICT') return { close: CLOSE.takeoverHeld, code: 'CONFLICT' };
  return { close: 1011, code: typeof code === 'string' ? code : 'INTERNAL' };
}

/** Serve one terminal socket until either side goes away. Returns a function that ends it. */
export async function serveTerminal(
  ws: WebSocket,
  req: TerminalRequest,
  deps: TerminalDeps,
): Promise<() => void> {
  let pty: IPty | undefined;
  let cmd: AttachCommand | undefined;
  let ended = false;
  /** this socket holds the takeover marker (a refused takeover must not release another's) */
  let held = false;
  const out: { batcher?: OutputBatcher } = {};
  const end = () => {
    if (ended) return;
    ended = true;
    out.batcher?.close();
    const holder = pty?.pid;
    try {
      pty?.kill();
    } catch {
      // already exited
    }
    // the private tmux session goes with its viewer (lib/tmux/takeover.ts); then the marker,
    // and what queued during the takeover is delivered (lib/ops/takeover.ts)
    const release = async () => {
      await cmd?.release();
      if (held && holder !== undefined) await releaseTakeover(deps.fleet, req.agent, holder);
    };
    release().catch((e: unknown) =>
      deps.log(`terminal ${req.agent}: releasing the takeover: ${String(e)}`),
    );
  };
  ws.on('close', end);
  // Watch has no client message type: any frame at all is a protocol violation.
  ws.on('message', (data, isBinary) => {
    if (req.mode === 'watch' || isBinary) {
      fail(ws, CLOSE.policy, 'READ_ONLY', 'this terminal is read-only (watch); take over to type');
      end();
      return;
    }
    const msg = parseTakeoverMessage(data.toString());
    if (!msg || !pty) {
      fail(ws, CLOSE.policy, 'BAD_MESSAGE', 'malformed terminal message');
      end();
      return;
    }
    if (msg.type === 'input') pty.write(msg.data);
    else pty.resize(msg.cols, msg.rows);
  });

  try {
    const prepared = await prepareAttach(deps.fleet, req.agent, req.mode);
    if (ended) return end;
    cmd = prepared;
    pty = deps.spawnPty(prepared.argv[0]!, prepared.argv.slice(1), {
      cols: prepared.cols,
      rows: prepared.rows,
      env: prepared.env,
      cwd: os.homedir(),
    });
    if (req.mode === 'takeover') {
      holdTakeover(deps.fleet, req.agent, req.user, pty.pid);
      held = true;
    }
    send(ws, { type: 'resize', cols: prepared.cols, rows: prepared.rows });
  } catch (e) {
    const { close, code } = closeCodeFor(e);
    if (!(e instanceof FleetError))
      deps.log(`terminal ${req.agent}: ${(e as Error)?.stack ?? String(e)}`);
    fail(ws, close, code, (e as Error)?.message ?? String(e));
    end();
    return end;
  }

  const p = pty;
  const b = new OutputBatcher(
    {
      send: (frame, sent) => send(ws, { type: 'output', data: frame }, sent),
      buffered: () => ws.bufferedAmount,
      pause: () => p.pause(),
      resume: () => p.resume(),
    },
    deps.batching ?? DEFAULT_BATCHING,
  );
  out.batcher = b;
  p.onData((d) => b.push(d));
  p.onExit(({ exitCode }) => {
    b.flush();
    // the tmux client ends when the session is killed or the agent exits: tell the browser why
    send(ws, { type: 'exit', code: exitCode, reason: `tmux client for ${req.agent} exited` });
    ws.close(CLOSE.agentGone, 'session ended');
    end();
  });
  return end;
}
