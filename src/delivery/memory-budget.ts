/**
 * The bound on memory held by exports not yet finished. Reserving fails only
 * when the bound would be passed; a batch larger than the whole bound is still
 * let through when nothing else is held, or it could never be sent. An export
 * reserves an estimate before it transforms anything (so one refused costs no
 * memory), then what its events really take.
 */

/** What an event takes beyond its span's attribute text: ids, times, names, metadata keys, JSON syntax. */
const EVENT_OVERHEAD_BYTES = 512;

export class MemoryBudget {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  get heldBytes(): number {
    return this.held;
  }

  tryReserve(bytes: number): boolean {
    if (this.held > 0 && this.held + bytes > this.maxBytes) return false;
    this.held += bytes;
    return true;
  }

  /** Replaces a reservation by its real size, which is never refused (the memory is already taken). */
  resize(fromBytes: number, toBytes: number): void {
    this.held = Math.max(0, this.held - fromBytes + toBytes);
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}

/**
 * About what these spans take once they are events, read cheaply (the sizes of their attributes) before
 * the transform runs. Never throws: a span that cannot be read counts as the overhead alone.
 */
export function estimateEventBytes(spans: readonly unknown[]): number {
  let total = 0;
  for (const span of spans) total += EVENT_OVERHEAD_BYTES + attributeBytes(span);
  return total;
}

function attributeBytes(span: unknown): number {
  try {
    const attributes = (span as { attributes?: unknown } | null)?.attributes;
    if (typeof attributes !== 'object' || attributes === null) return 0;
    let bytes = 0;
    // for-in, not Object.entries: no array per attribute on every span of every export.
    for (const key in attributes) bytes += key.length + valueBytes((attributes as Record<string, unknown>)[key]);
    return bytes;
  } catch {
    return 0;
  }
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (!Array.isArray(value)) return 8;
  let bytes = 2;
  for (const item of value) bytes += typeof item === 'string' ? item.length + 3 : 8;
  return bytes;
}
