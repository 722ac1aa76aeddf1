import assert from 'node:assert/strict';
import {
  addEventsPath,
  createdEventIds,
  createHoneyHiveApi,
  eventsBody,
  type EventJson,
} from '../../src/transport/honeyhive-api';
import type { HttpFailure, HttpResult } from '../../src/transport/http-transport';
import { failed, OK, scriptedTransport, status } from './fake-transport';

const SESSION = '0b9b7d4e-2f53-4e55-9d39-4d3c1f0a6a11';
const options = {
  serverUrl: 'https://api.example',
  apiVersion: 'legacy' as const,
  timeoutMillis: 1000,
  exportTimeoutMillis: 5000,
  secrets: ['sekrit-key'],
};
const call = { deadline: Date.now() + 5000 };

/** Events as the API takes them: each JSON with its UTF-8 size. */
function eventJsons(...jsons: string[]): EventJson[] {
  return jsons.map((json) => ({ json, bytes: Buffer.byteLength(json, 'utf8') }));
}

async function failureMessage(result: HttpResult): Promise<string> {
  const outcome = await createHoneyHiveApi(scriptedTransport([result]), options).addEvents(
    SESSION,
    eventJsons('{}'),
    call,
  );
  assert.equal(outcome.ok, false);
  return outcome.ok ? '' : outcome.error.message;
}

describe('HoneyHive API client', () => {
  it('puts only a UUID session id in the path, lower-cased and encoded', () => {
    assert.equal(addEventsPath(SESSION.toUpperCase()), `/session/${SESSION}/traces`);
    for (const bad of ['../admin', 'a/b', `${SESSION}/../x`, '', 'x'.repeat(500)]) {
      assert.throws(() => addEventsPath(bad), /refusing to put session id .* in a URL: it is not a UUID/);
    }
  });

  it('sends serialised events as one {"events": [...]} body, with the deadline', async () => {
    const transport = scriptedTransport([OK]);
    const outcome = await createHoneyHiveApi(transport, options).addEvents(
      SESSION,
      eventJsons('{"a":1}', '{"b":2}'),
      call,
    );
    assert.deepEqual(outcome, { ok: true });
    assert.deepEqual(JSON.parse(transport.requests[0]!.body.toString()), { events: [{ a: 1 }, { b: 2 }] });
    assert.equal(transport.requests[0]!.deadline, call.deadline);
    assert.equal(transport.requests[0]!.timeoutMillis, 1000);
  });

  it('writes the body as UTF-8 bytes equal to the joined JSON, whatever the characters', () => {
    const events = ['{"a":"é—€😀"}', '{"b":"\\ud800 escaped, \\"quoted\\""}', '{}'];
    for (const list of [[], events.slice(0, 1), events]) {
      const body = eventsBody(eventJsons(...list));
      assert.ok(Buffer.isBuffer(body));
      assert.equal(body.toString('utf8'), `{"events":[${list.join(',')}]}`);
      assert.deepEqual(body, Buffer.from(`{"events":[${list.join(',')}]}`, 'utf8'));
    }
  });

  it('never sends bytes the events do not hold when a byte count is wrong', () => {
    const json = '{"a":"é"}';
    for (const bytes of [0, 3, Buffer.byteLength(json) + 1, Buffer.byteLength(json) + 40]) {
      const body = eventsBody([
        { json, bytes },
        { json: '{}', bytes: 2 },
      ]);
      assert.deepEqual(body, Buffer.from(`{"events":[${json},{}]}`, 'utf8'), `with a count of ${bytes}`);
    }
  });

  it('says what to fix for each refusal, and how many attempts were made', async () => {
    assert.match(await failureMessage(status(401)), /answered 401 .*check the API key \(apiKey \/ HH_API_KEY\)/);
    assert.match(await failureMessage(status(403)), /answered 403 .*may not write to this project/);
    assert.match(await failureMessage(status(404)), /answered 404 .*check the server URL \(serverUrl \/ HH_API_URL\)/);
    assert.match(
      await failureMessage(
        failed({ kind: 'http', status: 400, body: { message: 'event_type must be one of model, tool, chain' } }),
      ),
      /answered 400 to POST \/session\/[0-9a-f-]+\/traces: event_type must be one of model, tool, chain: HoneyHive rejected the payload/,
    );
    assert.match(
      await failureMessage(failed({ kind: 'http', status: 503, attempts: 6 })),
      /answered 503 to POST \S+ \(after 6 attempts\): .*server error/,
    );
    assert.match(
      await failureMessage(failed({ kind: 'deadline' })),
      /ran out of time: the export deadline of 5000 ms \(exportTimeoutMillis \/ HH_EXPORT_TIMEOUT_MS\)/,
    );
    assert.match(await failureMessage(failed({ kind: 'aborted' })), /was cancelled: the exporter is shutting down/);
  });

  it('v1: adds the events of any sessions through POST /v1/events/batch, and updates an event with PUT /v1/events/{id}', async () => {
    const transport = scriptedTransport([OK]);
    const api = createHoneyHiveApi(transport, { ...options, apiVersion: 'v1' });
    assert.deepEqual(await api.addEvents(SESSION, eventJsons('{"a":1}', '{"b":2}'), call), { ok: true });
    assert.deepEqual(await api.updateEvent(SESSION.toUpperCase(), { end_time: 5, metrics: { score: 1 } }, call), {
      ok: true,
    });
    assert.deepEqual(
      transport.requests.map((request) => [
        request.method ?? 'POST',
        request.path,
        JSON.parse(request.body.toString()),
      ]),
      [
        ['POST', '/v1/events/batch', { events: [{ a: 1 }, { b: 2 }] }],
        ['PUT', `/v1/events/${SESSION}`, { end_time: 5, metrics: { score: 1 } }],
      ],
    );
    assert.throws(() => api.updateEvent('../x', {}, call), /refusing to put event id .* in a URL: it is not a UUID/);
  });

  it('v1: a 500 that lists the events it created is a partial success, not retried whole by the transport', async () => {
    const partial: HttpFailure = {
      kind: 'http',
      status: 500,
      body: { event_ids: [SESSION.toUpperCase()], errors: ['one failed'], success: false },
    };
    const transport = scriptedTransport([failed(partial)]);
    const outcome = await createHoneyHiveApi(transport, { ...options, apiVersion: 'v1' }).addEvents(
      SESSION,
      eventJsons('{}', '{}'),
      call,
    );
    assert.ok(!outcome.ok);
    assert.deepEqual([...(outcome.error.created ?? [])], [SESSION]);
    assert.equal(transport.requests[0]!.answeredInPart?.(partial), true);
    assert.equal(transport.requests[0]!.answeredInPart?.({ kind: 'http', status: 500 }), false);
    assert.equal(
      createdEventIds({ kind: 'http', status: 500, body: { event_ids: [] } }),
      undefined,
      'an empty list says nothing was created: a plain 500, retried whole',
    );
  });

  it('legacy: adds events through the session traces route, and updates with PUT /events naming the event', async () => {
    const transport = scriptedTransport([OK]);
    const api = createHoneyHiveApi(transport, options);
    await api.addEvents(SESSION, eventJsons('{"a":1}'), call);
    await api.updateEvent(SESSION, { outputs: { content: 'x' } }, call);
    assert.deepEqual(
      transport.requests.map((request) => [
        request.method ?? 'POST',
        request.path,
        JSON.parse(request.body.toString()),
      ]),
      [
        ['POST', `/session/${SESSION}/traces`, { events: [{ a: 1 }] }],
        ['PUT', '/events', { event_id: SESSION, outputs: { content: 'x' } }],
      ],
    );
  });

  it('v1: a 404 also points at the API version', async () => {
    const outcome = await createHoneyHiveApi(scriptedTransport([status(404)]), {
      ...options,
      apiVersion: 'v1',
    }).addEvents(SESSION, eventJsons('{}'), call);
    assert.equal(outcome.ok, false);
    assert.match(
      outcome.ok ? '' : outcome.error.message,
      /answered 404 to POST \/v1\/events\/batch: .*serverUrl \/ HH_API_URL\), or whether it serves the v1 API \(apiVersion \/ HH_API_VERSION\)/,
    );
  });

  it('names the proxy (never its credentials) when the connection fails, and explains a 407', async () => {
    const proxied = { ...options, proxyDescription: 'the proxy http://[REDACTED]@proxy.corp:3128/ (from HTTPS_PROXY)' };
    const outcome = await createHoneyHiveApi(
      scriptedTransport([failed({ kind: 'network', code: 'ECONNREFUSED' })]),
      proxied,
    ).addEvents(SESSION, eventJsons('{}'), call);
    assert.match(
      outcome.ok ? '' : outcome.error.message,
      /could not reach HoneyHive at https:\/\/api.example through the proxy http:\/\/\[REDACTED\]@proxy.corp:3128\/ \(from HTTPS_PROXY\) for POST .* \(ECONNREFUSED\)/,
    );
    assert.match(await failureMessage(status(407)), /answered 407 .*the proxy wants credentials/);
  });

  it('redacts a secret echoed back by the server', async () => {
    const message = await failureMessage(failed({ kind: 'http', status: 400, body: 'bad token sekrit-key' }));
    assert.match(message, /bad token \[REDACTED\]/);
  });
});
