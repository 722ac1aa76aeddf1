/**
 * Faults tests inject to see how an exporter copes with a misbehaving HoneyHive:
 * error statuses, slow answers, no answer, reset connections.
 */
import type { Fault } from './types';

/** What a test can do with the queue (the handle's `faults`). */
export interface FaultInjector {
  /** Queue faults; each applies to the next `times` (default 1) matching POST requests, first queued first. */
  push(...faults: Fault[]): void;
  /** Drop every queued fault. */
  clear(): void;
  /** How many queued faults still have uses left. */
  readonly pending: number;
}

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

function matchesPath(fault: Fault, pathname: string): boolean {
  if (fault.path === undefined) return true;
  if (typeof fault.path === 'string') return fault.path === pathname;
  fault.path.lastIndex = 0; // a /g or /y RegExp would otherwise remember where it stopped
  return fault.path.test(pathname);
}

export class FaultQueue implements FaultInjector {
  private queue: QueuedFault[] = [];

  push(...faults: Fault[]): void {
    for (const fault of faults) {
      const times = fault.times ?? 1;
      if (!(times >= 1)) throw new RangeError(`fault.times must be at least 1; got ${times}`);
      if (
        fault.status !== undefined &&
        !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)
      ) {
        throw new RangeError(`fault.status must be an HTTP status (100-599); got ${fault.status}`);
      }
      this.queue.push({ fault: { ...fault }, remaining: times });
    }
  }

  clear(): void {
    this.queue = [];
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The first queued fault matching this path, using one of its uses up. */
  take(pathname: string): Fault | undefined {
    const queued = this.queue.find((candidate) => matchesPath(candidate.fault, pathname));
    if (queued === undefined) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.queue.splice(this.queue.indexOf(queued), 1);
    return queued.fault;
  }
}
