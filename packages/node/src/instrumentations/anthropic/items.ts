import type { Warnings } from '../../core/warn.js';

/**
 * Watching the items of a stream that is not one call of ours (batch results, the SDK's own traced stream):
 * `onItem` sees each item of the first iterator that `source[method]()` hands out, before the caller gets it.
 * Items, their order, errors and the end of the stream stay as they are; a failure of `onItem` is ours only.
 */
export function watchItems<Item>(
  source: object,
  method: 'iterator' | typeof Symbol.asyncIterator,
  onItem: (item: Item) => void,
  warnings: Warnings,
): void {
  const target = source as Record<typeof method, (...args: unknown[]) => AsyncIterator<Item>>;
  const original = target[method];
  if (typeof original !== 'function') return;
  let watched = false;
  target[method] = function (this: unknown, ...args: unknown[]) {
    const it = original.apply(this, args);
    if (watched || !it || typeof it.next !== 'function') return it;
    watched = true;
    const next = it.next;
    it.next = async (...nextArgs: [] | [unknown]) => {
      const result = await next.apply(it, nextArgs);
      if (!result.done) {
        try {
          onItem(result.value);
        } catch (error) {
          warnings.internalError('watching a stream item', error);
        }
      }
      return result;
    };
    return it;
  };
}
