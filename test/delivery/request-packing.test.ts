import assert from 'node:assert/strict';
import {
  EVENTS_ENVELOPE_BYTES,
  packRequests,
  requestBodyBytes,
  splitInHalves,
  type SerializedEvent,
} from '../../src/delivery/request-packing';

function events(...sizes: number[]): SerializedEvent[] {
  return sizes.map((bytes, index) => ({ eventId: `e${index}`, json: JSON.stringify('x'.repeat(bytes - 2)), bytes }));
}

describe('request packing', () => {
  it('measures a body exactly as sent', () => {
    const list = events(10, 20, 30);
    const body = `{"events":[${list.map((event) => event.json).join(',')}]}`;
    assert.equal(requestBodyBytes(list), Buffer.byteLength(body));
    assert.equal(requestBodyBytes([]), EVENTS_ENVELOPE_BYTES);
  });

  it('packs in order by event count', () => {
    const packed = packRequests(events(10, 10, 10, 10, 10), 2, 1_000_000);
    assert.deepEqual(
      packed.map((request) => request.map((event) => event.eventId)),
      [['e0', 'e1'], ['e2', 'e3'], ['e4']],
    );
  });

  it('packs by bytes so no body passes the limit', () => {
    const list = events(40, 40, 40, 40, 100);
    const packed = packRequests(list, 100, EVENTS_ENVELOPE_BYTES + 81);
    assert.deepEqual(
      packed.map((request) => request.length),
      [2, 2, 1],
    );
    for (const request of packed.slice(0, 2)) assert.ok(requestBodyBytes(request) <= EVENTS_ENVELOPE_BYTES + 81);
  });

  it('gives an event larger than the limit a request of its own', () => {
    assert.deepEqual(
      packRequests(events(10, 500, 10), 100, 100).map((request) => request.length),
      [1, 1, 1],
    );
    assert.deepEqual(packRequests([], 10, 100), []);
  });

  it('splits in halves, the first larger when odd, and not below one', () => {
    assert.deepEqual(splitInHalves([1, 2, 3, 4, 5]), [
      [1, 2, 3],
      [4, 5],
    ]);
    assert.deepEqual(splitInHalves([1, 2]), [[1], [2]]);
    assert.equal(splitInHalves([1]), undefined);
  });
});
