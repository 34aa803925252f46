/**
 * The two small schedulers of dispatch (docs/architecture.md "Dispatch"): one lock that the
 * tick's dispatch and the fast pass take in turn, so a claim and the start of its delivery are
 * never interleaved with another pass; and a runner that coalesces wake-ups into one pass.
 */

/** Run functions one after another, in call order; a failure does not stop the next. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const out = this.tail.then(fn);
    this.tail = out.catch(() => undefined);
    return out;
  }
}

/**
 * Run `fn` now, or, when it already runs, once more right after it: any number of pokes
 * during a run cost one more run, which sees whatever changed meanwhile.
 */
export class Coalesced {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly fn: () => Promise<void>,
    private readonly onError: (e: unknown) => void,
  ) {}

  poke(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.fn();
        } catch (e) {
          this.onError(e);
        }
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** The run in flight, if any (shutdown, tests). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
