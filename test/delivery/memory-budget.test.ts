import assert from 'node:assert/strict';
import { estimateEventBytes, MemoryBudget } from '../../src/delivery/memory-budget';

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

  it('replaces an estimate by the real size, never refusing it', () => {
    const budget = new MemoryBudget(100);
    assert.equal(budget.tryReserve(30), true);
    budget.resize(30, 150);
    assert.equal(budget.heldBytes, 150);
    assert.equal(budget.tryReserve(1), false);
    budget.release(150);
    assert.equal(budget.heldBytes, 0);
  });
});

describe('estimateEventBytes', () => {
  it('grows with the attribute text and never throws on spans it cannot read', () => {
    const small = estimateEventBytes([{ attributes: { a: 'x' } }]);
    const large = estimateEventBytes([{ attributes: { a: 'x'.repeat(10_000), list: ['y'.repeat(1000), 3] } }]);
    assert.ok(large - small >= 11_000, `${small} then ${large}`);
    const hostile = {
      get attributes(): never {
        throw new Error('no');
      },
    };
    assert.equal(estimateEventBytes([hostile, null, 42]), 3 * estimateEventBytes([{}]));
  });
});
