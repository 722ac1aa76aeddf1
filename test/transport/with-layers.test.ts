import assert from 'node:assert/strict';
import sinon from 'sinon';
import { withLayers, type TransportLayer } from '../../src/transport/http-transport';
import { OK, scriptedTransport } from './fake-transport';

describe('withLayers', () => {
  it('runs a request through the layers in order, the first innermost, and each sees what the one below answered', async () => {
    const seen: string[] = [];
    const tagging =
      (name: string): TransportLayer =>
      async (request, send) => {
        seen.push(`${name} sends ${request.path}`);
        const result = await send({ ...request, path: `${request.path}/${name}` });
        seen.push(`${name} got ${result.ok}`);
        return result;
      };
    const bottom = scriptedTransport([OK]);
    const transport = withLayers(bottom, [tagging('inner'), tagging('outer')]);
    assert.deepEqual(await transport.post({ path: '/p', body: '{}', timeoutMillis: 1000 }), OK);
    assert.equal(bottom.requests[0]!.path, '/p/outer/inner');
    assert.deepEqual(seen, ['outer sends /p', 'inner sends /p/outer', 'inner got true', 'outer got true']);
  });

  it('shuts the bottom transport down once; with no layers it is the bottom transport', async () => {
    const bottom = scriptedTransport([OK]);
    const shutdown = sinon.spy(bottom, 'shutdown');
    const bare = withLayers(bottom, []);
    assert.deepEqual(await bare.post({ path: '/p', body: '{}', timeoutMillis: 1000 }), OK);
    withLayers(bottom, [async (request, send) => send(request)]).shutdown();
    assert.equal(shutdown.callCount, 1);
  });
});
