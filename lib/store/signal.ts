import { EventEmitter } from 'node:events';

/**
 * "A card may have become ready", per tenant, inside one fleetd. Long-polls wait on it; the
 * backlog raises it after a commit that can make work claimable, and with PostgreSQL fleetd also
 * forwards NOTIFYs from other hosts into it.
 */
export class ReadySignal {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  emit(tenantId: string): void {
    this.emitter.emit(tenantId);
  }

  /**
   * Resolves true on the next signal for the tenant, false on timeout or abort. Subscribe
   * before checking the store, so a signal between the check and the wait is not lost.
   */
  next(
    tenantId: string,
    timeoutMs: number,
    abort?: AbortSignal,
  ): { promise: Promise<boolean>; cancel(): void } {
    let cancel = (): void => undefined;
    const promise = new Promise<boolean>((resolve) => {
      const finish = (woke: boolean): void => {
        clearTimeout(timer);
        this.emitter.off(tenantId, onSignal);
        abort?.removeEventListener('abort', onAbort);
        resolve(woke);
      };
      const onSignal = (): void => finish(true);
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
      this.emitter.on(tenantId, onSignal);
      if (abort?.aborted) finish(false);
      else abort?.addEventListener('abort', onAbort, { once: true });
      cancel = () => finish(false);
    });
    return { promise, cancel: () => cancel() };
  }

  listenerCount(tenantId: string): number {
    return this.emitter.listenerCount(tenantId);
  }
}
