/**
 * Prints each session's tree once it stops changing: exporters send a trace in
 * several batches, so printing on every batch would repeat half-built trees.
 */
import { formatSessionTree } from './tree';
import type { SessionDetails } from './types';

export type PrintLine = (line: string) => void;

export class SessionTreePrinter {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly print: PrintLine,
    private readonly detailsOf: (sessionId: string) => SessionDetails | undefined,
    private readonly debounceMs: number,
  ) {}

  /** (Re)starts the session's countdown to printing. */
  sessionChanged(sessionId: string): void {
    clearTimeout(this.timers.get(sessionId));
    const timer = setTimeout(() => this.printNow(sessionId), this.debounceMs);
    timer.unref(); // a pending print must not keep a process alive
    this.timers.set(sessionId, timer);
  }

  /** Prints every tree still waiting (on close, so the last trace is not lost). */
  flush(): void {
    for (const sessionId of [...this.timers.keys()]) this.printNow(sessionId);
  }

  /** Forgets every pending print. */
  cancel(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private printNow(sessionId: string): void {
    clearTimeout(this.timers.get(sessionId));
    this.timers.delete(sessionId);
    const details = this.detailsOf(sessionId);
    if (details === undefined) return;
    for (const line of formatSessionTree(details).split('\n')) this.print(line);
  }
}
