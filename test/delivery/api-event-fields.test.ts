import assert from 'node:assert/strict';
import { eventForApi, serializedEventForApi } from '../../src/delivery/api-event-fields';
import { sampleEvent } from './event-fixture';

describe('events shaped for the API', () => {
  const withProject = { ...sampleEvent(), project: 'p', project_id: 'id' };

  it('legacy keeps the per-event project; v1 drops it without touching the original', () => {
    assert.equal(eventForApi(withProject, 'legacy'), withProject);
    const shaped = eventForApi(withProject, 'v1');
    assert.ok(!('project' in shaped));
    assert.equal((shaped as { project_id?: string }).project_id, 'id', 'PostEventRequest lists project_id: kept');
    assert.equal(withProject.project, 'p');
    assert.deepEqual(
      Object.keys(shaped),
      Object.keys(withProject).filter((key) => key !== 'project'),
      'every other field, in its order',
    );
    const without = sampleEvent();
    assert.equal(eventForApi(without, 'v1'), without, 'nothing to drop: the same object');
  });

  it('copies a __proto__ field as data, never as a prototype', () => {
    const hostile = JSON.parse(`{"project":"p","__proto__":{"polluted":true},"event_id":"x"}`) as object;
    const shaped = eventForApi(hostile, 'v1') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(shaped), Object.prototype);
    assert.deepEqual(Object.keys(shaped), ['__proto__', 'event_id']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('reshapes a serialised event only when it carries a project at its top level', () => {
    const json = JSON.stringify(withProject);
    const event = { eventId: withProject.event_id, json, bytes: Buffer.byteLength(json) };
    const shaped = serializedEventForApi(event, 'v1');
    assert.deepEqual(JSON.parse(shaped.json), eventForApi(withProject, 'v1'));
    assert.equal(shaped.bytes, Buffer.byteLength(shaped.json));
    assert.equal(serializedEventForApi(event, 'legacy'), event);
    const nested = JSON.stringify(sampleEvent({ metadata: { project: 'kept' } }));
    const inMetadata = { eventId: 'x', json: nested, bytes: nested.length };
    assert.equal(serializedEventForApi(inMetadata, 'v1'), inMetadata, 'a nested project is content, kept');
  });
});
