/**
 * What the transform works out from a key (or another short string that spans
 * repeat: a setting's name, a session id), remembered: the spans of one
 * instrumentation carry the same keys, so each is worked out once and then
 * looked up, which costs a fraction of slicing, searching or hashing it again.
 * Bounded, since keys come from data: when full, the memory starts over, which
 * costs nothing per lookup and refills at once with the keys still in use.
 * A value is never undefined, which is what the Map answers for a key not yet
 * worked out.
 */
export class KeyMemo<V extends NonNullable<unknown> | null> {
  private readonly values = new Map<string, V>();

  constructor(
    private readonly maxKeys: number,
    private readonly workOut: (key: string) => V,
  ) {}

  get(key: string): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.workOut(key);
      if (this.values.size >= this.maxKeys) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
