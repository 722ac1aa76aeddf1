/**
 * The exports in flight, for flush and shutdown: each export is tracked from
 * its start until it settles, with the events it holds; a flush waits for
 * them (within its time) and closes the flush window with what is still
 * pending; at shutdown, what is still running when the time is up is
 * cancelled through the signal every export listens to, and waited for (it
 * spools or counts what it held).
 */
import { setMaxListeners } from 'node:events';
import type { FlushResult, FlushWindow } from './flush-window';

/** What the tracker knows of one export while it runs; the export keeps `events` up to date. */
export interface ExportTicket {
  /** Events the export holds (its spans until they are transformed). */
  events: number;
  /** Aborted when shutdown's time is up: the export stops sending and keeps or counts what it holds. */
  readonly signal: AbortSignal;
}

export class ExportTracker {
  private readonly inFlight = new Map<Promise<unknown>, ExportTicket>();
  private readonly cancel = new AbortController();

  constructor(private readonly window: FlushWindow) {
    // Every request and wait in flight listens for the cancel; there may be many.
    setMaxListeners(0, this.cancel.signal);
  }

  /** Runs `work` as one export holding `events`, tracked until it settles. */
  track<T>(events: number, work: (ticket: ExportTicket) => Promise<T>): Promise<T> {
    const ticket: ExportTicket = { events, signal: this.cancel.signal };
    const running = work(ticket);
    this.inFlight.set(running, ticket);
    const untrack = (): void => void this.inFlight.delete(running);
    running.then(untrack, untrack);
    return running;
  }

  /** Waits for the exports in flight, at most `timeoutMillis`; true when they all settled. */
  async waitForExports(timeoutMillis: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMillis;
    while (this.inFlight.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, remaining);
      });
      await Promise.race([Promise.allSettled(this.inFlight.keys()), timeout]);
      clearTimeout(timer);
    }
    return true;
  }

  /** Waits for the exports in flight, at most `timeoutMillis`, and says what became of everything since the last flush. */
  async flush(timeoutMillis: number): Promise<FlushResult> {
    const settled = await this.waitForExports(timeoutMillis);
    return this.window.close(this.pendingEvents(), !settled);
  }

  /**
   * Like {@link flush}, then cancels the exports still running at its deadline (they spool or count what
   * they hold) and waits for them to settle: shutdown's flush, after which nothing is in flight.
   */
  async flushThenCancel(timeoutMillis: number): Promise<FlushResult> {
    const settled = await this.waitForExports(timeoutMillis);
    if (!settled) {
      this.cancel.abort();
      await Promise.allSettled(this.inFlight.keys());
    }
    return this.window.close(this.pendingEvents(), !settled);
  }

  private pendingEvents(): number {
    let events = 0;
    for (const ticket of this.inFlight.values()) events += ticket.events;
    return events;
  }
}
