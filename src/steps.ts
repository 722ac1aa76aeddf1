/**
 * Work cut into steps: a generator that pauses after each item it handles
 * (a span, an event), run either straight through or with the app's event
 * loop given a turn whenever the work has held it for a slice of time. An
 * export's transform and preparation take tens of milliseconds on a batch of
 * LLM spans; run in one go, they would hold every request the app is serving
 * for that long.
 */

/** Runs `steps` to its end at once and returns what it returns. */
export function runSteps<T>(steps: Iterator<unknown, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** How long a slice of steps may hold the event loop before it is given a turn. */
const SLICE_MILLIS = 4;

/**
 * Runs a sequence of step generators to their ends, one after another, giving the event loop a turn
 * (`setImmediate`: pending I/O is served first) whenever a slice has run for `sliceMillis`.
 */
export class SlicedRun {
  private sliceEnd: number;

  constructor(private readonly sliceMillis: number = SLICE_MILLIS) {
    this.sliceEnd = performance.now() + sliceMillis;
  }

  /** Runs `steps` to its end, with turns for the event loop between steps, and resolves with what it returns. */
  async run<T>(steps: Iterator<unknown, T, undefined>): Promise<T> {
    for (;;) {
      const step = steps.next();
      if (step.done === true) return step.value;
      if (performance.now() >= this.sliceEnd) await this.giveWay();
    }
  }

  private async giveWay(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceEnd = performance.now() + this.sliceMillis;
  }
}
