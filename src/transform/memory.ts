/**
 * What the transform remembers between batches, in bounded memory: the
 * children each event has had exported (children usually end, and are
 * exported, before their parent), and the session each trace was seen to name.
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
  private readonly maxChildrenPerParent: number;

  constructor(limits: TransformMemoryLimits = {}) {
    this.childrenByParent = new BoundedMap(limits.maxParents ?? 50_000);
    this.sessionByTrace = new BoundedMap(limits.maxTraces ?? 50_000);
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

  childrenOf(parentEventId: string): string[] {
    const children = this.childrenByParent.get(parentEventId);
    return children ? [...children] : [];
  }

  hasChildren(parentEventId: string): boolean {
    return (this.childrenByParent.get(parentEventId)?.size ?? 0) > 0;
  }

  rememberTraceSession(traceId: string, sessionId: string): void {
    this.sessionByTrace.set(traceId, sessionId);
  }

  sessionOfTrace(traceId: string): string | undefined {
    return this.sessionByTrace.get(traceId);
  }
}
