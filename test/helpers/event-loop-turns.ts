/** Counts the event loop's turns (each `setImmediate` round) from now until stopped. */
export function turnCounter(): { count: number; stop: () => void } {
  const turns = { count: 0, stopped: false, stop: () => void (turns.stopped = true) };
  const tick = (): void => {
    if (turns.stopped) return;
    turns.count++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return turns;
}
