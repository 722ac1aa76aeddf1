/**
 * The bound on memory held by exports not yet finished. Reserving fails only
 * when the bound would be passed; a batch larger than the whole bound is still
 * let through when nothing else is held, or it could never be sent.
 */

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

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}
