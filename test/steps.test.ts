import assert from 'node:assert/strict';
import { runSteps, SlicedRun } from '../src/steps';
import { turnCounter } from './helpers/event-loop-turns';

/** Steps that record, at each step, how many turns the event loop has had since they began. */
function* countingTurns(steps: number, seen: number[], turns: { count: number }): Generator<undefined, string> {
  for (let i = 0; i < steps; i++) {
    seen.push(turns.count);
    yield;
  }
  return 'done';
}

describe('steps', () => {
  it('runSteps runs every step at once and returns the result', () => {
    const seen: number[] = [];
    assert.equal(runSteps(countingTurns(3, seen, { count: 0 })), 'done');
    assert.deepEqual(seen, [0, 0, 0]);
  });

  it('SlicedRun gives the event loop a turn between steps once a slice is used up', async () => {
    const turns = turnCounter();
    const seen: number[] = [];
    try {
      assert.equal(await new SlicedRun(0).run(countingTurns(4, seen, turns)), 'done');
    } finally {
      turns.stop();
    }
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `a turn before step ${i}: ${seen}`);
  });

  it('SlicedRun runs steps straight on while the slice lasts, across runs', async () => {
    const turns = turnCounter();
    const seen: number[] = [];
    const slices = new SlicedRun(60_000);
    try {
      await slices.run(countingTurns(3, seen, turns));
      await slices.run(countingTurns(3, seen, turns));
    } finally {
      turns.stop();
    }
    assert.deepEqual(seen, [0, 0, 0, 0, 0, 0]);
  });
});
