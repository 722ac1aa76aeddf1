/**
 * A Map that forgets its least recently used entries beyond a fixed size, so
 * state the exporter keeps across batches (children, sessions of traces,
 * started sessions) can never grow with the life of the process.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();
  /** The key set or read last: already the most recent, so reading it again moves nothing. */
  private newest: K | undefined = undefined;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`BoundedMap size must be a positive integer; got ${maxEntries}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Reads a value and marks it as recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined && key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, value);
      this.newest = key;
    }
    return value;
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    if (this.entries.size > this.maxEntries) {
      // Map iterates in insertion order, so the first key is the least recently used.
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
    return this;
  }

  delete(key: K): boolean {
    if (key === this.newest) this.newest = undefined;
    return this.entries.delete(key);
  }
}
