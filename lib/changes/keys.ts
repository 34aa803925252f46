/**
 * When a thing fleetd reads again and again (the supervisor's ps rows, the drain, the other
 * hosts) has changed: the last key of each is kept, and a different key is a change. With
 * `refresh`, a thing whose key stayed the same but whose ages moved counts again once `ms` have
 * passed, so ages the browser extrapolates are put right at least that often (docs/api.md
 * "Events"). Pure: the caller gives the time.
 */
export interface Refresh {
  ms: number;
  /** the thing with its ages: differs from the last one when only ages moved */
  aged: string;
}

export class ChangeKeys {
  private readonly seen = new Map<string, { key: string; aged: string | null; at: number }>();

  /** Is `key` new for `name`, or due a refresh? Remembered when it is. */
  changed(name: string, key: string, nowMs: number, refresh?: Refresh): boolean {
    const last = this.seen.get(name);
    const due =
      !last ||
      last.key !== key ||
      (refresh !== undefined && nowMs - last.at >= refresh.ms && refresh.aged !== last.aged);
    if (due) this.seen.set(name, { key, aged: refresh?.aged ?? null, at: nowMs });
    return due;
  }
}
