import assert from 'node:assert/strict';
import {
  EVENTS_ENVELOPE_BYTES,
  packRequests,
  splitInHalves,
  type SerializedEvent,
} from '../../src/delivery/request-packing';

function events(...sizes: number[]): SerializedEvent[] {
  return sizes.map((bytes, index) => ({ eventId: `e${index}`, json: JSON.stringify('x'.repeat(bytes - 2)), bytes }));
}

/** The bytes of the body HoneyHive receives for these events. */
function sentBytes(request: readonly SerializedEvent[]): number {
  return Buffer.byteLength(`{"events":[${request.map((event) => event.json).join(',')}]}`);
}

describe('request packing', () => {
  it('counts a body exactly as sent: a limit of its bytes holds it whole, one byte less does not', () => {
    const list = events(10, 20, 30);
    assert.equal(sentBytes([]), EVENTS_ENVELOPE_BYTES);
    assert.deepEqual(
      packRequests(list, 100, sentBytes(list)).map((request) => request.length),
      [3],
    );
    assert.deepEqual(
      packRequests(list, 100, sentBytes(list) - 1).map((request) => request.length),
      [2, 1],
    );
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
    for (const request of packed.slice(0, 2)) assert.ok(sentBytes(request) <= EVENTS_ENVELOPE_BYTES + 81);
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
