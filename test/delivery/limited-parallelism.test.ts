import assert from 'node:assert/strict';
import { mapWithLimit } from '../../src/delivery/limited-parallelism';

describe('mapWithLimit', () => {
  it('keeps at most the limit in progress, starts items in order, and returns results in order', async () => {
    let inProgress = 0;
    let most = 0;
    const started: number[] = [];
    const results = await mapWithLimit([5, 1, 4, 2, 3, 0], 2, async (item) => {
      started.push(item);
      inProgress += 1;
      most = Math.max(most, inProgress);
      for (let tick = 0; tick < item; tick++) await new Promise(setImmediate);
      inProgress -= 1;
      return item * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30, 0]);
    assert.deepEqual(started, [5, 1, 4, 2, 3, 0]);
    assert.equal(most, 2);
  });

  it('resolves with nothing for no items, and rejects with the work’s rejection', async () => {
    assert.deepEqual(await mapWithLimit([], 4, async () => 1), []);
    await assert.rejects(
      mapWithLimit([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error('two');
        return item;
      }),
      /two/,
    );
  });
});
