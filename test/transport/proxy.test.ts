/**
 * Proxies over real HTTP: the exporter sends through a small forward proxy
 * on loopback (absolute-URI requests for an http server, a CONNECT tunnel for
 * an https one), with the proxyUrl option or the standard environment
 * variables, and NO_PROXY sends it around the proxy. The environment is
 * stubbed per test (sinon restores it), never left changed.
 */
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { inspect } from 'node:util';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import sinon from 'sinon';
import { HoneyHiveSpanExporter, type HoneyHiveExporterOptions } from '../../src';
import { startDevServer, type DevServerHandle } from '../../src/dev-server';
import { sessionIdForName } from '../../src/transform/ids';
import { exportSpans, TEST_API_KEY } from '../helpers/export';
import { spanRecorder } from '../helpers/sdk-spans';
import { captureDiag, capturedLogLines, recordError } from '../reliability/leak-watch';
import { startForwardProxy, type ForwardProxy } from './forward-proxy';

const SESSION = 'through-a-proxy';
const PROXY_USER = 'alice';
const PROXY_PASSWORD = 'pr0xy-s3cret';

/** An address of this machine that is not loopback, so the environment's proxy applies to it; undefined when there is none. */
function nonLoopbackAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  return undefined;
}

describe('proxies over real HTTP', function () {
  this.timeout(15_000);
  let server: DevServerHandle | undefined;
  let proxy: ForwardProxy;
  const exporters: HoneyHiveSpanExporter[] = [];

  beforeEach(async () => {
    captureDiag();
    proxy = await startForwardProxy(`${PROXY_USER}:${PROXY_PASSWORD}`);
  });

  afterEach(async () => {
    sinon.restore();
    await Promise.all(exporters.splice(0).map((exporter) => exporter.shutdown()));
    await server?.close();
    server = undefined;
    await proxy.close();
  });

  function proxyUrl(): string {
    return `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`;
  }

  function newExporter(options: HoneyHiveExporterOptions): HoneyHiveSpanExporter {
    const exporter = new HoneyHiveSpanExporter({
      apiKey: TEST_API_KEY,
      sessionId: SESSION,
      retryDelayMillis: 5,
      timeoutMillis: 2000,
      exportTimeoutMillis: 4000,
      ...options,
    });
    exporters.push(exporter);
    return exporter;
  }

  async function exportSome(exporter: HoneyHiveSpanExporter, count: number): Promise<ExportResult> {
    const { tracer, take } = spanRecorder();
    for (let i = 0; i < count; i++) tracer.startSpan(`step-${i}`, { attributes: { 'input.value': `q${i}` } }).end();
    const result = await exportSpans(exporter, take());
    recordError(result.error);
    return result;
  }

  /** Stubs process.env for this test only: the exporter reads it at construction. */
  function withEnvironment(variables: Record<string, string>): void {
    sinon.stub(process, 'env').value({ ...process.env, ...variables });
  }

  it('sends every request through the proxyUrl option, with the proxy credentials, kept alive', async () => {
    server = await startDevServer();
    const exporter = newExporter({ serverUrl: server.url, proxyUrl: proxyUrl() });
    assert.equal((await exportSome(exporter, 2)).code, ExportResultCode.SUCCESS);
    assert.equal((await exportSome(exporter, 3)).code, ExportResultCode.SUCCESS);

    assert.equal(server.store.events(sessionIdForName(SESSION)).length, 5);
    assert.deepEqual(server.store.warnings(sessionIdForName(SESSION)), []);
    const received = server.store.requests.map((request) => request.path);
    assert.deepEqual(
      proxy.forwarded.map((request) => request.target),
      received.map((path) => `${server!.url}${path}`),
      'every request went through the proxy, as an absolute URI',
    );
    const basic = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
    assert.ok(proxy.forwarded.every((request) => request.headers['proxy-authorization'] === basic));
    assert.ok(
      server.store.requests.every((request) => request.headers['proxy-authorization'] === undefined),
      'the proxy credentials stop at the proxy',
    );
    assert.equal(proxy.connections, 1, 'one kept-alive connection for every request');
  });

  it('keeps the proxy credentials out of the exporter itself', () => {
    const exporter = newExporter({ serverUrl: 'https://api.honeyhive.ai', proxyUrl: proxyUrl() });
    const shown = inspect(exporter, { depth: 20, showHidden: true });
    const basic = Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64');
    for (const secret of [PROXY_PASSWORD, basic, TEST_API_KEY]) assert.ok(!shown.includes(secret), secret);
  });

  it('says which proxy could not be reached, without its credentials', async () => {
    server = await startDevServer();
    await proxy.close();
    const exporter = newExporter({ serverUrl: server.url, proxyUrl: proxyUrl(), maxRetries: 0 });
    const result = await exportSome(exporter, 1);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(
      result.error!.message,
      new RegExp(
        `through the proxy http://\\[REDACTED\\]@127\\.0\\.0\\.1:${proxy.port}/ \\(from proxyUrl\\) .*ECONNREFUSED`,
      ),
    );
    for (const line of [result.error!.message, ...capturedLogLines])
      assert.ok(!line.includes(PROXY_PASSWORD) && !line.includes(TEST_API_KEY), line);
  });

  it('a proxy asking for other credentials: a 407, explained', async () => {
    server = await startDevServer();
    const wrong = `http://${PROXY_USER}:wrong@127.0.0.1:${proxy.port}`;
    const exporter = newExporter({ serverUrl: server.url, proxyUrl: wrong, maxRetries: 0, createSessions: false });
    const result = await exportSome(exporter, 1);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(server.store.requests.length, 0);
    assert.match(result.error!.message, /answered 407 .*the proxy wants credentials/);
    assert.ok(!result.error!.message.includes('wrong'));
  });

  it('tunnels to an https server with CONNECT: the proxy sees the host, never the API key', async () => {
    server = await startDevServer();
    // The dev server speaks plain http, so the TLS handshake inside the tunnel fails: what the proxy saw is the point.
    const exporter = newExporter({
      serverUrl: `https://localhost:${server.port}`,
      proxyUrl: proxyUrl(),
      maxRetries: 0,
    });
    const result = await exportSome(exporter, 1);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /through the proxy http:\/\/\[REDACTED\]@127\.0\.0\.1:\d+\/ \(from proxyUrl\)/);
    assert.ok(proxy.tunnels.length >= 1);
    for (const tunnel of proxy.tunnels) {
      assert.equal(tunnel.method, 'CONNECT');
      assert.equal(tunnel.target, `localhost:${server.port}`);
      assert.equal(tunnel.headers['authorization'], undefined);
      assert.match(String(tunnel.headers['proxy-authorization']), /^Basic /);
    }
    assert.deepEqual(proxy.forwarded, [], 'nothing was sent to the proxy in the clear');
    const bytes = proxy.tunnelBytes();
    assert.ok(bytes.length > 0, 'a TLS handshake went into the tunnel');
    assert.ok(!bytes.includes(TEST_API_KEY) && !bytes.includes('Bearer'), 'the tunnel carried no plaintext key');
  });

  describe('from the environment, to a server that is not loopback', () => {
    let address: string;
    before(function () {
      const found = nonLoopbackAddress();
      if (found === undefined) this.skip();
      address = found!;
    });

    beforeEach(async () => {
      server = await startDevServer({ host: address });
    });

    const options = (): HoneyHiveExporterOptions => ({ serverUrl: server!.url, allowInsecureHttp: true });

    it('HTTP_PROXY: every request goes through the proxy', async () => {
      withEnvironment({ HTTP_PROXY: proxyUrl(), NO_PROXY: '', no_proxy: '' });
      const exporter = newExporter(options());
      assert.equal((await exportSome(exporter, 3)).code, ExportResultCode.SUCCESS);
      assert.equal(server!.store.events().length, 3);
      assert.equal(proxy.forwarded.length, server!.store.requests.length);
      assert.ok(proxy.forwarded.every((request) => request.target.startsWith(`http://${address}:`)));
    });

    for (const noProxy of ['ADDRESS', 'ADDRESS:PORT', 'CIDR', '*']) {
      it(`NO_PROXY=${noProxy}: the proxy is bypassed`, async () => {
        const listed = noProxy
          .replace('ADDRESS', address)
          .replace('PORT', String(server!.port))
          .replace('CIDR', `${address}/24`);
        withEnvironment({ HTTP_PROXY: proxyUrl(), NO_PROXY: listed });
        const exporter = newExporter(options());
        assert.equal((await exportSome(exporter, 2)).code, ExportResultCode.SUCCESS);
        assert.equal(server!.store.events().length, 2);
        assert.equal(proxy.connections, 0, 'nothing reached the proxy');
      });
    }

    it('proxyUrl: false ignores the environment', async () => {
      withEnvironment({ HTTP_PROXY: proxyUrl() });
      const exporter = newExporter({ ...options(), proxyUrl: false });
      assert.equal((await exportSome(exporter, 1)).code, ExportResultCode.SUCCESS);
      assert.equal(proxy.connections, 0);
    });
  });
});
