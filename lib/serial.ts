/**
 * One at a time: each call runs after the previous one settled (resolved or not), in order.
 * For operations that read, decide and write (PAUSE's two halves, account creation), so that
 * concurrent callers never interleave between the read and the write.
 */
export function serialiser(): <T>(fn: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(
      () => fn(),
      () => fn(),
    );
    queue = run.catch(() => undefined);
    return run;
  };
}
