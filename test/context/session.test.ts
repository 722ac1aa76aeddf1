import assert from 'node:assert/strict';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { HoneyHiveSessionSpanProcessor, getActiveSession, withSession } from '../../src/context/session';
import { toHoneyHiveEvents } from '../../src/transform';
import { sessionIdForName } from '../../src/transform/ids';
import { spanRecorder, startChild } from '../helpers/sdk-spans';

describe('session context', () => {
  before(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  after(() => {
    context.disable();
  });

  it('withSession runs a sync function inside the session and returns its value', () => {
    const result = withSession('sync-session', () => getActiveSession()?.sessionId);
    assert.equal(result, 'sync-session');
    assert.equal(getActiveSession(), undefined, 'nothing leaks out of the function');
  });

  it('withSession keeps the session across awaits in an async function', async () => {
    const seen = await withSession({ sessionId: 'async-session', sessionName: 'Checkout' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return getActiveSession();
    });
    assert.deepEqual(seen, { sessionId: 'async-session', sessionName: 'Checkout' });
  });

  it('rejects an empty session id', () => {
    assert.throws(() => withSession('  ', () => 1), /sessionId must be a non-empty string/);
  });

  it('withSession refuses session fields that are not JSON objects, naming the option', () => {
    assert.throws(() => withSession({ sessionId: 's', inputs: 'text' as never }, () => 1), /inputs must be an object/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.throws(() => withSession({ sessionId: 's', metadata: circular }, () => 1), /metadata cannot be serialised/);
  });

  it("withSession's session fields reach the session from whichever batch comes first, not the events", async () => {
    const { tracer, take } = spanRecorder([new HoneyHiveSessionSpanProcessor()]);
    const fields = {
      sessionId: 'eval-run',
      sessionName: 'Eval',
      inputs: { question: 'why?' },
      metadata: { run_id: 'run-7', dataset_id: 'ds-1', datapoint_id: 'dp-3' },
      userProperties: { user_id: 'u-1' },
      config: { prompt: 'v2' },
    };
    await withSession(fields, async () => {
      await tracer.startActiveSpan('agent', async (root) => {
        tracer.startSpan('lookup', { attributes: { 'input.value': 'k' } }).end();
        root.end();
      });
    });
    const [lookup, root] = take();
    assert.equal(lookup!.attributes['honeyhive.session.metadata'], root!.attributes['honeyhive.session.metadata']);
    // The child alone, exported before its root: the session already has its fields.
    const [early] = toHoneyHiveEvents([lookup!]);
    assert.deepEqual(early!.session.inputs, { question: 'why?' });
    assert.equal(early!.session.metadata.run_id, 'run-7');
    assert.equal(early!.session.metadata.datapoint_id, 'dp-3');
    assert.deepEqual(early!.session.user_properties, { user_id: 'u-1' });
    assert.deepEqual(early!.session.config, { prompt: 'v2' });
    assert.equal(early!.session.end_time, undefined, 'no root yet: not ended');
    const event = early!.events[0]!;
    assert.ok(
      !Object.keys(event.metadata).some((key) => key.startsWith('honeyhive.session')),
      'the session fields are not copied into each event',
    );
    assert.deepEqual(event.inputs, { value: 'k' }, 'the event keeps its own inputs');
    // With the root: the session's named inputs win over the root's.
    const [whole] = toHoneyHiveEvents([lookup!, root!]);
    assert.deepEqual(whole!.session.inputs, { question: 'why?' });
    assert.equal(whole!.session.end_time, whole!.events[1]!.end_time);
  });

  it('reads the session_id baggage entry when no session was set in code', () => {
    const withBaggage = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ session_id: { value: 'from-baggage' } }),
    );
    assert.deepEqual(getActiveSession(withBaggage), { sessionId: 'from-baggage' });
  });

  it('stamps every span of a unit of work, so children exported before their root land in its session', async () => {
    const { tracer, take } = spanRecorder([new HoneyHiveSessionSpanProcessor()]);
    await withSession({ sessionId: 'order-17', sessionName: 'Order 17' }, async () => {
      await tracer.startActiveSpan('handle-order', async (root) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        tracer.startSpan('lookup').end();
        root.end();
      });
    });
    const [lookup, root] = take();
    assert.equal(lookup!.attributes.honeyhive_session_id, 'order-17');
    assert.equal(root!.attributes.honeyhive_session_name, 'Order 17');
    // Exported on its own, before the root: still the right session.
    const [group] = toHoneyHiveEvents([lookup!]);
    assert.equal(group!.sessionId, sessionIdForName('order-17'));
    assert.equal(group!.session.event_name, 'Order 17');
  });

  it("stamps a child with its parent span's session when the context names none", () => {
    const { tracer, take } = spanRecorder([new HoneyHiveSessionSpanProcessor()]);
    const root = startChild(tracer, 'root', undefined, { attributes: { 'session.id': 'from-parent' } });
    startChild(tracer, 'child', root).end();
    root.end();
    const [child] = take();
    assert.equal(child!.attributes.honeyhive_session_id, 'from-parent');
  });

  it('leaves a span that names its own session alone, and a span with no session unstamped', () => {
    const { tracer, take } = spanRecorder([new HoneyHiveSessionSpanProcessor()]);
    withSession('outer', () => {
      tracer.startSpan('own', { attributes: { 'gen_ai.conversation.id': 'mine' } }).end();
    });
    tracer.startSpan('free').end();
    const [own, free] = take();
    assert.equal(own!.attributes.honeyhive_session_id, undefined);
    assert.equal(own!.attributes['gen_ai.conversation.id'], 'mine');
    assert.deepEqual(Object.keys(free!.attributes), []);
    assert.equal(trace.getActiveSpan(), undefined);
  });
});
