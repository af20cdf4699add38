/**
 * Settles as `work` does, or resolves `false` after `ms` if it has not settled by then: shutdown() must not hang on a
 * collector that does not answer, whatever the SDK's steps add up to. `true` when `work` resolved in time.
 * The timer is unref'd: it never keeps the process alive by itself.
 */
export function withinDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
