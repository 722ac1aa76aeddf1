import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { startDevServer } from '../../src/dev-server/index';
import { AUTH_HEADERS, assertError, makeEvent, makeSession, postJson, useDevServer } from './helpers';

const GZIP_HEADERS = { ...AUTH_HEADERS, 'content-encoding': 'gzip' };
const ACCEPTED_HINT = 'send the body uncompressed or with Content-Encoding: gzip';

function gzipJson(body: unknown): Buffer {
  return gzipSync(JSON.stringify(body));
}

describe('dev server: gzip request bodies', () => {
  describe('by default', () => {
    const ctx = useDevServer();

    it('answers a gzip body 415 and stores nothing', async () => {
      const sessionId = randomUUID();
      const body = gzipJson({ events: [makeEvent(sessionId)] });
      const answer = await postJson(ctx.server, `/session/${sessionId}/traces`, body, GZIP_HEADERS);
      assertError(
        answer,
        415,
        'UNSUPPORTED_CONTENT_ENCODING',
        'Content-Encoding "gzip" is not supported; send the body uncompressed',
      );
      assert.deepEqual(ctx.server.store.events(), []);
    });
  });

  describe('with acceptGzip', () => {
    const ctx = useDevServer({ acceptGzip: true, maxBodyBytes: 10_000 });
    let sessionId: string;

    beforeEach(() => {
      sessionId = randomUUID();
    });

    it('inflates gzip bodies on every route and stores them as the plain bodies would be', async () => {
      const session = makeSession({ session_id: sessionId, session_name: 'gzip héllo ✓' });
      const started = await postJson(ctx.server, '/session/start', gzipJson({ session }), GZIP_HEADERS);
      assert.deepEqual([started.status, started.body.session_id], [200, sessionId]);

      const legacy = [makeEvent(sessionId, { inputs: { text: 'naïve 🚀' } }), makeEvent(sessionId)];
      const legacyBody = { events: legacy };
      const sent = await postJson(ctx.server, `/session/${sessionId}/traces`, gzipJson(legacyBody), {
        ...AUTH_HEADERS,
        'content-encoding': ' GZip ', // case does not matter; HTTP itself drops the surrounding whitespace
      });
      assert.deepEqual([sent.status, sent.body], [200, { success: true }]);

      const batch = [makeEvent(sessionId)];
      const batched = await postJson(
        ctx.server,
        `/v1/sessions/${sessionId}/events/batch`,
        gzipJson({ events: batch }),
        GZIP_HEADERS,
      );
      assert.equal(batched.status, 200);

      const plain = [makeEvent(sessionId)];
      assert.equal((await postJson(ctx.server, `/session/${sessionId}/traces`, { events: plain })).status, 200);

      assert.deepEqual(ctx.server.store.events(sessionId), [...legacy, ...batch, ...plain]);
      assert.equal(ctx.server.store.session(sessionId)?.session.session_name, 'gzip héllo ✓');
      // The log keeps the encoding header, the bytes as received, and the inflated body.
      const logged = ctx.server.store.requests[1];
      assert.equal(logged?.headers['content-encoding'], 'GZip');
      assert.equal(logged?.body_bytes, gzipJson(legacyBody).length);
      assert.deepEqual(logged?.body, legacyBody);
      assert.equal(logged?.event_count, 2);
    });

    it('413 when the body inflates past the limit, although it arrived small', async () => {
      const events = [makeEvent(sessionId, { inputs: { text: '0'.repeat(5 * 1024 * 1024) } })];
      const body = gzipJson({ events });
      assert.ok(body.length < 10_000, `compressed to ${body.length} bytes`);
      const answer = await postJson(ctx.server, `/session/${sessionId}/traces`, body, GZIP_HEADERS);
      assertError(
        answer,
        413,
        'PAYLOAD_TOO_LARGE',
        `request body inflates to more than the limit of 10000 bytes (it is ${body.length} bytes gzip-compressed)`,
      );
      assert.deepEqual(ctx.server.store.events(), []);
    });

    it('413 for a compressed body over the limit, as for a plain one', async () => {
      const body = gzipSync(randomBytes(20_000)); // random bytes do not compress
      const answer = await postJson(ctx.server, `/session/${sessionId}/traces`, body, GZIP_HEADERS);
      assertError(answer, 413, 'PAYLOAD_TOO_LARGE', `request body is ${body.length} bytes; the limit is 10000 bytes`);
    });

    it('400 for a body that is not gzip, or is cut short', async () => {
      const notGzip = await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [] }, GZIP_HEADERS);
      assertError(notGzip, 400, 'INVALID_GZIP', 'request body is not valid gzip: incorrect header check');
      const whole = gzipJson({ events: [makeEvent(sessionId)] });
      const cut = await postJson(ctx.server, `/session/${sessionId}/traces`, whole.subarray(0, 20), GZIP_HEADERS);
      assertError(cut, 400, 'INVALID_GZIP', 'request body is not valid gzip: unexpected end of file');
      assert.deepEqual(ctx.server.store.events(), []);
    });

    it('415 for any other encoding, saying which are accepted', async () => {
      const body = { events: [makeEvent(sessionId)] };
      const deflated = await postJson(ctx.server, `/session/${sessionId}/traces`, deflateSync(JSON.stringify(body)), {
        ...AUTH_HEADERS,
        'content-encoding': 'deflate',
      });
      assertError(
        deflated,
        415,
        'UNSUPPORTED_CONTENT_ENCODING',
        `Content-Encoding "deflate" is not supported; ${ACCEPTED_HINT}`,
      );
      for (const encoding of ['br', 'gzip, br', 'x-gzip']) {
        const answer = await postJson(ctx.server, `/session/${sessionId}/traces`, gzipJson(body), {
          ...AUTH_HEADERS,
          'content-encoding': encoding,
        });
        assertError(
          answer,
          415,
          'UNSUPPORTED_CONTENT_ENCODING',
          `Content-Encoding ${JSON.stringify(encoding)} is not supported; ${ACCEPTED_HINT}`,
        );
      }
      assert.deepEqual(ctx.server.store.events(), []);
    });
  });

  it('the request line says a body came gzip-compressed', async () => {
    const lines: string[] = [];
    const server = await startDevServer({
      acceptGzip: true,
      print: (line) => lines.push(line),
      printDebounceMs: 10_000,
    });
    try {
      const sessionId = randomUUID();
      const body = gzipJson({ events: [makeEvent(sessionId)] });
      await postJson(server, `/session/${sessionId}/traces`, body, GZIP_HEADERS);
      assert.ok(lines.includes(`POST /session/${sessionId}/traces -> 200, 1 event(s), gzip`), lines.join('\n'));
    } finally {
      await server.close();
    }
  });
});
