/**
 * What the transform remembers between batches, in bounded memory: the
 * children exported in an earlier batch than their parent (children usually
 * end, and are exported, first), the session each trace was seen to name,
 * which events have a descendant that reported token usage (so their own
 * usage repeats it and must not be counted again), and the event ids spans
 * named for themselves (so their children in later batches point at them).
 */
import { BoundedMap } from '../bounded-map';

export interface TransformMemoryLimits {
  /** Parent events whose children are remembered. Default 50,000. */
  maxParents?: number;
  /** Children remembered per parent event. Default 10,000. */
  maxChildrenPerParent?: number;
  /** Traces whose session is remembered. Default 50,000. */
  maxTraces?: number;
}

export class TransformMemory {
  private readonly childrenByParent: BoundedMap<string, Set<string>>;
  private readonly sessionByTrace: BoundedMap<string, string>;
  private readonly usageBelow: BoundedMap<string, true>;
  private readonly namedEventIds: BoundedMap<string, string>;
  private readonly maxChildrenPerParent: number;

  constructor(limits: TransformMemoryLimits = {}) {
    this.childrenByParent = new BoundedMap(limits.maxParents ?? 50_000);
    this.sessionByTrace = new BoundedMap(limits.maxTraces ?? 50_000);
    this.usageBelow = new BoundedMap(limits.maxParents ?? 50_000);
    this.namedEventIds = new BoundedMap(limits.maxParents ?? 50_000);
    this.maxChildrenPerParent = limits.maxChildrenPerParent ?? 10_000;
  }

  addChild(parentEventId: string, childEventId: string): void {
    let children = this.childrenByParent.get(parentEventId);
    if (!children) {
      children = new Set();
      this.childrenByParent.set(parentEventId, children);
    }
    if (children.size < this.maxChildrenPerParent) children.add(childEventId);
  }

  /**
   * The children a parent's event lists: those remembered from earlier batches first, then
   * `inBatch` (distinct, in batch order), each once and at most maxChildrenPerParent in all;
   * undefined when there are none (most spans are leaves). The list may be `inBatch` itself.
   */
  childrenOf(parentEventId: string, inBatch?: string[]): string[] | undefined {
    const remembered = this.childrenByParent.get(parentEventId);
    const limit = this.maxChildrenPerParent;
    if (remembered === undefined || remembered.size === 0) {
      if (inBatch === undefined || limit === 0) return undefined;
      return inBatch.length <= limit ? inBatch : inBatch.slice(0, limit);
    }
    const children = [...remembered];
    if (inBatch !== undefined) {
      for (let i = 0; i < inBatch.length && children.length < limit; i++) {
        if (!remembered.has(inBatch[i]!)) children.push(inBatch[i]!);
      }
    }
    return children;
  }

  rememberTraceSession(traceId: string, sessionId: string): void {
    this.sessionByTrace.set(traceId, sessionId);
  }

  sessionOfTrace(traceId: string): string | undefined {
    return this.sessionByTrace.get(traceId);
  }

  /** Remembers that the span whose derived event id is `derived` named its own, `named` (`honeyhive_event_id`). */
  rememberEventId(derived: string, named: string): void {
    this.namedEventIds.set(derived, named);
  }

  /** The event id a span named for itself, by its derived id, when one was seen. */
  eventIdFor(derived: string): string | undefined {
    return this.namedEventIds.get(derived);
  }

  markUsageBelow(eventId: string): void {
    this.usageBelow.set(eventId, true);
  }

  hasUsageBelow(eventId: string): boolean {
    return this.usageBelow.has(eventId);
  }
}
