/**
 * Output batching with backpressure for the terminal bridge (docs/architecture.md "Web": a chatty agent
 * must not flood the server or freeze a tab). Output after a quiet spell goes out at once (no
 * added latency for a keystroke's echo); output that follows within `intervalMs` of a frame is
 * joined into the next one (or sent once `maxBytes` are waiting); while the socket's send buffer is above
 * `highWater` the PTY is paused — tmux then stops reading from its client and simply redraws
 * the latest screen when it resumes, so a slow browser sees fewer frames, never a stalled agent.
 */
export interface BatcherOptions {
  intervalMs: number;
  maxBytes: number;
  highWater: number;
  lowWater: number;
}

export const DEFAULT_BATCHING: BatcherOptions = {
  intervalMs: 16,
  maxBytes: 64 * 1024,
  highWater: 1024 * 1024,
  lowWater: 256 * 1024,
};

export interface BatcherIo {
  /** send one frame; call `sent` once it has left (ws.send's callback) */
  send(frame: string, sent: () => void): void;
  /** bytes queued on the socket and not yet written (ws.bufferedAmount) */
  buffered(): number;
  pause(): void;
  resume(): void;
}

export class OutputBatcher {
  private chunks: string[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private drainTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private closed = false;
  /** frames sent and times the source was paused, for tests and the bench */
  readonly stats = { frames: 0, pauses: 0 };

  constructor(
    private readonly io: BatcherIo,
    private readonly opts: BatcherOptions = DEFAULT_BATCHING,
  ) {}

  push(chunk: string): void {
    if (this.closed || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.opts.maxBytes) return this.flush();
    if (this.timer) return;
    const since = Date.now() - this.lastFlush;
    if (since >= this.opts.intervalMs) this.flush();
    else this.timer = setTimeout(() => this.flush(), this.opts.intervalMs - since);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.size === 0) return;
    const frame = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    this.lastFlush = Date.now();
    this.stats.frames++;
    this.io.send(frame, () => this.checkDrain());
    if (!this.paused && this.io.buffered() > this.opts.highWater) {
      this.paused = true;
      this.stats.pauses++;
      this.io.pause();
      this.watchDrain();
    }
  }

  private checkDrain(): void {
    if (this.paused && !this.closed && this.io.buffered() <= this.opts.lowWater) {
      this.paused = false;
      if (this.drainTimer) clearInterval(this.drainTimer);
      this.drainTimer = undefined;
      this.io.resume();
    }
  }

  /** ws calls back per frame; a poll covers a socket that drains without further callbacks */
  private watchDrain(): void {
    this.drainTimer ??= setInterval(() => this.checkDrain(), 20);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  close(): void {
    this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.drainTimer) clearInterval(this.drainTimer);
  }
}
