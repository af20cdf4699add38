/**
 * A Map that keeps at most `max` entries, dropping the oldest first: the memos of batch results and background
 * responses seen in this process, which must not grow with every id a long-running process ever saw.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  /** Remembers `key`; true the first time (while it is remembered), false when it was already there. */
  firstTime(key: K, value: V): boolean {
    if (this.map.has(key)) return false;
    this.set(key, value);
    return true;
  }
}
