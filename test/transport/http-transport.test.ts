/**
 * The axios transport over real HTTP on loopback: what goes on the wire for a
 * request, read by a bare node:http server.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import sinon from 'sinon';
import { KEEP_ALIVE_PROBE_DELAY_MILLIS } from '../../src/transport/connection-agents';
import { createAxiosTransport, type HttpTransport } from '../../src/transport/http-transport';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('createAxiosTransport over real HTTP', () => {
  let server: http.Server;
  let serverUrl: string;
  let transport: HttpTransport;
  const seen: Seen[] = [];
  /** The client port of each request, so a reused connection shows. */
  const ports: number[] = [];
  const slowAnswers: NodeJS.Timeout[] = [];

  beforeEach(async () => {
    seen.length = 0;
    ports.length = 0;
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          method: request.method!,
          url: request.url!,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        ports.push(request.socket.remotePort!);
        if (request.url!.endsWith('/hang')) return;
        if (request.url!.endsWith('/failing-slowly')) {
          response.writeHead(503, { 'content-type': 'text/plain' }).write('busy, ');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        if (request.url!.endsWith('/late')) {
          // The body's second half comes after the headers, so the client cannot have it whole at once.
          response.write('{"success":');
          setTimeout(() => response.end('true}'), 20);
        } else if (request.url!.endsWith('/slow')) {
          response.write('{"success":');
          slowAnswers.push(setTimeout(() => response.end('true}'), 2_000));
        } else response.end('{"success":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
    transport = createAxiosTransport({ serverUrl, headers: { Authorization: 'Bearer key', 'X-Extra': 'yes' } });
  });

  afterEach(async () => {
    for (const timer of slowAnswers.splice(0)) clearTimeout(timer);
    transport.shutdown();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the body as given, with the configured headers, JSON, its length and axios’s own', async () => {
    const body = '{"events":["é"]}';
    assert.deepEqual(await transport.post({ path: '/session/x/traces', body, timeoutMillis: 5_000 }), {
      ok: true,
      value: { status: 200 },
    });
    const [request] = seen;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.url, '/base/session/x/traces');
    assert.equal(request!.body, body);
    assert.equal(request!.headers['content-length'], String(Buffer.byteLength(body)));
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers.authorization, 'Bearer key');
    assert.equal(request!.headers['x-extra'], 'yes');
    assert.equal(request!.headers.accept, 'application/json, text/plain, */*');
    assert.match(request!.headers['user-agent']!, /^axios\//);
    assert.equal(request!.headers['content-encoding'], undefined);
  });

  it('sends each request’s own length and encoding, none carried into the next', async () => {
    const gzipped = Buffer.from([0x1f, 0x8b, 1, 2, 3]);
    await transport.post({ method: 'PUT', path: '/a', body: gzipped, contentEncoding: 'gzip', timeoutMillis: 5_000 });
    await transport.post({ path: '/b', body: '{"longer":"than the first"}', timeoutMillis: 5_000 });
    assert.deepEqual(
      seen.map((request) => [request.method, request.headers['content-length'], request.headers['content-encoding']]),
      [
        ['PUT', '5', 'gzip'],
        ['POST', '27', undefined],
      ],
    );
  });

  it('keeps a path that looks absolute under the server URL', async () => {
    // Were it taken as a URL, it would name another port of this machine (where nothing listens).
    const result = await transport.post({ path: '//127.0.0.1:9/x', body: '{}', timeoutMillis: 5_000 });
    assert.equal(result.ok, true);
    assert.equal(seen[0]!.url, '/base/127.0.0.1:9/x');
  });

  it('reads a success’s body before answering, whole or arriving just after its headers: the next request reuses the connection', async () => {
    for (const path of ['/whole', '/whole', '/late', '/whole', '/late']) {
      assert.equal((await transport.post({ path, body: '{}', timeoutMillis: 5_000 })).ok, true);
    }
    assert.equal(new Set(ports).size, 1, `client ports ${ports.join(', ')}`);
  });

  it('answers a success whose body is slow after a moment, not when the body ends', async () => {
    const started = Date.now();
    assert.deepEqual(await transport.post({ path: '/slow', body: '{}', timeoutMillis: 5_000 }), {
      ok: true,
      value: { status: 200 },
    });
    const millis = Date.now() - started;
    assert.ok(millis < 1_000, `answered after ${millis} ms`);
  });

  it('asks for one keep-alive delay on a socket, axios’s, whether in a request or back in the pool, so Node sets it only once', async () => {
    const setKeepAlive = sinon.spy(net.Socket.prototype, 'setKeepAlive');
    try {
      for (let i = 0; i < 3; i++) await transport.post({ path: '/whole', body: '{}', timeoutMillis: 5_000 });
    } finally {
      setKeepAlive.restore();
    }
    assert.equal(new Set(ports).size, 1);
    assert.ok(setKeepAlive.callCount >= 3, `${setKeepAlive.callCount} calls`);
    for (const call of setKeepAlive.getCalls()) assert.deepEqual(call.args, [true, KEEP_ALIVE_PROBE_DELAY_MILLIS]);
  });

  /** How an attempt that ended early reads: no answer is a timeout or a cancel; a failure is what its status said, with the body that came. */
  const BUSY = { ok: false, error: { kind: 'http', status: 503, body: 'busy, ' } };

  it('ends an attempt at its time, whether no answer comes or a failure’s body trickles, and the next request succeeds', async () => {
    for (const [path, expected] of [
      ['/hang', { ok: false, error: { kind: 'timeout', code: 'ETIMEDOUT' } }],
      ['/failing-slowly', BUSY],
    ] as const) {
      const started = Date.now();
      assert.deepEqual(await transport.post({ path, body: '{}', timeoutMillis: 100 }), expected);
      const millis = Date.now() - started;
      assert.ok(millis >= 90 && millis < 1_000, `${path} ended after ${millis} ms`);
    }
    assert.equal((await transport.post({ path: '/whole', body: '{}', timeoutMillis: 5_000 })).ok, true);
  });

  it('ends an attempt when its request is cancelled, waiting for an answer or for a body', async () => {
    for (const [path, expected] of [
      ['/hang', { ok: false, error: { kind: 'aborted' } }],
      ['/failing-slowly', BUSY],
      // A success is one at its status: a slow body cancelled after it changes nothing.
      ['/slow', { ok: true, value: { status: 200 } }],
    ] as const) {
      const cancel = new AbortController();
      setTimeout(() => cancel.abort(), 50);
      const started = Date.now();
      assert.deepEqual(
        await transport.post({ path, body: '{}', timeoutMillis: 5_000, signal: cancel.signal }),
        expected,
      );
      const millis = Date.now() - started;
      assert.ok(millis < 1_000, `${path} ended after ${millis} ms`);
    }
  });
});
