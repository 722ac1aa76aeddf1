import assert from 'node:assert/strict';
import { MemoryBudget } from '../../src/delivery/memory-budget';

describe('MemoryBudget', () => {
  it('holds up to its bound, refuses past it, and frees on release', () => {
    const budget = new MemoryBudget(100);
    assert.equal(budget.tryReserve(60), true);
    assert.equal(budget.tryReserve(50), false);
    assert.equal(budget.tryReserve(40), true);
    assert.equal(budget.heldBytes, 100);
    budget.release(60);
    assert.equal(budget.tryReserve(50), true);
    budget.release(1000);
    assert.equal(budget.heldBytes, 0);
  });

  it('lets one batch larger than the whole bound through when nothing else is held', () => {
    const budget = new MemoryBudget(100);
    assert.equal(budget.tryReserve(500), true);
    assert.equal(budget.tryReserve(1), false);
  });
});
