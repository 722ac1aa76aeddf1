import assert from 'node:assert/strict';
import { withEventRequestsInTurn } from '../../src/delivery/event-request-gate';
import type { ApiOutcome, HoneyHiveApi } from '../../src/transport/honeyhive-api';

describe('withEventRequestsInTurn', () => {
  it('lets at most its turns of event requests be built at once; updates pass straight through', async () => {
    let building = 0;
    let most = 0;
    let updates = 0;
    const api: HoneyHiveApi = {
      updateEvent: async (): Promise<ApiOutcome> => {
        updates += 1;
        return { ok: true };
      },
      addEvents: async (): Promise<ApiOutcome> => {
        building += 1;
        most = Math.max(most, building);
        await new Promise((resolve) => setTimeout(resolve, 5));
        building -= 1;
        return { ok: true };
      },
    };
    const gated = withEventRequestsInTurn(api, 2);
    const call = { deadline: Date.now() + 5000 };
    const outcomes = await Promise.all([
      ...Array.from({ length: 10 }, () => gated.addEvents('id', [{ json: '{}', bytes: 2 }], call)),
      gated.updateEvent('id', {}, call),
    ]);
    assert.equal(most, 2);
    assert.equal(updates, 1);
    assert.ok(outcomes.every((outcome) => outcome.ok));
  });
});
