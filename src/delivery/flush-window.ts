/**
 * What happened since the last flush, so `forceFlush()` can say whether what
 * was handed to the exporter before it arrived (a serverless invocation's
 * spans) made it: sent, spooled for later, lost, or still on its way.
 */
import type { StatsRecorder } from './stats';

export interface FlushResult {
  /** True when nothing was spooled, lost, failed or left pending since the previous flush. */
  ok: boolean;
  /** True when exports were still running when the flush's time ran out. */
  timedOut: boolean;
  /** Events accepted by HoneyHive since the previous flush. */
  eventsSent: number;
  /** Events written to the spool since the previous flush (not lost; resent later). */
  eventsSpooled: number;
  /** Events lost since the previous flush (see getStats().dropped for why). */
  eventsDropped: number;
  /** Events of exports still running when the flush returned. */
  eventsPending: number;
  /** Why exports failed since the previous flush, at most `MAX_FLUSH_ERRORS`, without secrets. */
  errors: string[];
}

export const MAX_FLUSH_ERRORS = 20;

export class FlushWindow {
  private sentBefore = 0;
  private spooledBefore = 0;
  private droppedBefore = 0;
  private errors: string[] = [];

  constructor(private readonly stats: StatsRecorder) {}

  recordError(message: string): void {
    if (this.errors.length < MAX_FLUSH_ERRORS && !this.errors.includes(message)) this.errors.push(message);
  }

  /** The outcome since the last close, and a new window from now. */
  close(eventsPending: number, timedOut: boolean): FlushResult {
    const now = this.stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 });
    const dropped = this.stats.droppedTotal;
    const result: FlushResult = {
      ok: false,
      timedOut,
      eventsSent: now.eventsSent - this.sentBefore,
      eventsSpooled: now.eventsSpooled - this.spooledBefore,
      eventsDropped: dropped - this.droppedBefore,
      eventsPending,
      errors: this.errors,
    };
    result.ok =
      result.eventsSpooled === 0 && result.eventsDropped === 0 && eventsPending === 0 && result.errors.length === 0;
    this.sentBefore = now.eventsSent;
    this.spooledBefore = now.eventsSpooled;
    this.droppedBefore = dropped;
    this.errors = [];
    return result;
  }
}
