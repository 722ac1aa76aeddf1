import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import sinon from 'sinon';
import { compressingLayer, MIN_COMPRESSED_BODY_BYTES } from '../../src/transport/compressing-transport';
import { withLayers, type HttpRequest, type HttpTransport } from '../../src/transport/http-transport';
import { OK, scriptedTransport, status } from './fake-transport';

const LARGE = JSON.stringify({ events: Array.from({ length: 50 }, (_, i) => ({ event_name: `event ${i}` })) });
const request = (body: string): HttpRequest => ({ path: '/session/x/traces', body, timeoutMillis: 1000 });
const compressing = (inner: HttpTransport, onRefused: () => void): HttpTransport =>
  withLayers(inner, [compressingLayer({ onRefused })]);

describe('compressing transport (compression: gzip)', () => {
  it('gzips a body of 1 KiB or more and says so in contentEncoding', async () => {
    assert.ok(LARGE.length >= MIN_COMPRESSED_BODY_BYTES);
    const inner = scriptedTransport([OK]);
    const result = await compressing(inner, sinon.spy()).post(request(LARGE));
    assert.deepEqual(result, OK);
    const sent = inner.requests[0]!;
    assert.equal(sent.contentEncoding, 'gzip');
    assert.ok(Buffer.isBuffer(sent.body));
    assert.equal(gunzipSync(sent.body).toString('utf8'), LARGE);
    assert.ok(sent.body.length < LARGE.length / 4, `${sent.body.length} bytes from ${LARGE.length}`);
  });

  it('sends a small body as it is', async () => {
    const inner = scriptedTransport([OK]);
    await compressing(inner, sinon.spy()).post(request('{"session":{}}'));
    assert.equal(inner.requests[0]!.body, '{"session":{}}');
    assert.equal(inner.requests[0]!.contentEncoding, undefined);
  });

  it('on a 415, resends the request uncompressed, says so once, and compresses nothing after', async () => {
    const inner = scriptedTransport([status(415), OK]);
    const onRefused = sinon.spy();
    const transport = compressing(inner, onRefused);
    assert.deepEqual(await transport.post(request(LARGE)), OK);
    assert.deepEqual(await transport.post(request(LARGE)), OK);
    assert.deepEqual(
      inner.requests.map((sent) => sent.contentEncoding),
      ['gzip', undefined, undefined],
    );
    assert.equal(inner.requests[1]!.body, LARGE);
    assert.equal(onRefused.callCount, 1);
  });

  it('hands back any other failure as it is, without a second try', async () => {
    const inner = scriptedTransport([status(503)]);
    const onRefused = sinon.spy();
    const result = await compressing(inner, onRefused).post(request(LARGE));
    assert.deepEqual(result, status(503));
    assert.equal(inner.requests.length, 1);
    assert.equal(onRefused.callCount, 0);
  });
});
