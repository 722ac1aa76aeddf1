/**
 * Plain spans, as HTTP, Express, pg and Redis auto-instrumentations write
 * them: a server request, its middleware and handler, database queries and an
 * outgoing call; one request in twenty fails with an exception.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { prose, seededRandom } from './content';
import { benchRecorder, endAfter, startAt, SyntheticClock } from './recorder';

const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

const ORDER_QUERY =
  'SELECT o.id, o.status, o.total_cents, o.created_at, c.email, c.name, a.line1, a.city, a.postcode FROM orders o ' +
  'JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.shipping_address_id WHERE o.id = $1 AND o.tenant_id = $2';

const STACK = `Error: connection terminated unexpectedly
    at Connection.<anonymous> (/app/node_modules/pg/lib/client.js:132:73)
    at Object.onceWrapper (node:events:632:28)
    at Connection.emit (node:events:518:28)
    at Socket.<anonymous> (/app/node_modules/pg/lib/connection.js:63:12)
    at Socket.emit (node:events:518:28)
    at TCP.<anonymous> (node:net:337:12)`;

/** `traces` requests of seven spans each (six when the query fails), in the order they end. */
export function plainSpans(traces: number): ReadableSpan[] {
  const recorder = benchRecorder();
  // Each span from the instrumentation that makes it in an auto-instrumented app: trace selection reads the scope.
  const http = recorder.tracerFor('@opentelemetry/instrumentation-http', '0.223.0');
  const express = recorder.tracerFor('@opentelemetry/instrumentation-express', '0.60.0');
  const redis = recorder.tracerFor('@opentelemetry/instrumentation-redis', '0.60.0');
  const pg = recorder.tracerFor('@opentelemetry/instrumentation-pg', '0.62.0');
  const clock = new SyntheticClock();
  const random = seededRandom(7);
  for (let t = 0; t < traces; t++) {
    const orderId = 100_000 + t;
    const fails = t % 20 === 19;
    const server = startAt(http, clock, 'GET /api/orders/:id', undefined, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.scheme': 'https',
        'url.path': `/api/orders/${orderId}`,
        'url.query': 'include=items,shipping',
        'http.route': '/api/orders/:id',
        'server.address': 'api.shop.example.com',
        'server.port': 443,
        'network.protocol.version': '1.1',
        'client.address': '203.0.113.24',
        'user_agent.original': USER_AGENT,
      },
    });
    for (const middleware of ['query', 'expressInit', 'jsonParser']) {
      const span = startAt(express, clock, `middleware - ${middleware}`, server, {
        attributes: { 'http.route': '/', 'express.name': middleware, 'express.type': 'middleware' },
      });
      endAfter(span, clock, 0.05);
    }
    const handler = startAt(express, clock, 'request handler - /api/orders/:id', server, {
      attributes: {
        'http.route': '/api/orders/:id',
        'express.name': '/api/orders/:id',
        'express.type': 'request_handler',
      },
    });
    const cache = startAt(redis, clock, 'redis-GET', handler, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'redis',
        'db.query.text': `GET order:${orderId}`,
        'server.address': 'cache.internal',
        'server.port': 6379,
      },
    });
    endAfter(cache, clock, 0.4);
    const query = startAt(pg, clock, 'pg.query:SELECT shop', handler, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        'db.namespace': 'shop',
        'db.operation.name': 'SELECT',
        'db.collection.name': 'orders',
        'db.query.text': ORDER_QUERY,
        'server.address': 'db.internal',
        'server.port': 5432,
        'db.client.connection.pool.name': 'primary',
      },
    });
    if (fails) {
      query.recordException({ name: 'Error', message: 'connection terminated unexpectedly', stack: STACK });
      query.setStatus({ code: SpanStatusCode.ERROR, message: 'connection terminated unexpectedly' });
    }
    endAfter(query, clock, 2 + random() * 10);
    if (!fails) {
      const outgoing = startAt(http, clock, 'GET', handler, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'GET',
          'url.full': `http://inventory.internal:8080/v2/stock?sku=SKU-${orderId % 977}&warehouse=eu-west`,
          'server.address': 'inventory.internal',
          'server.port': 8080,
          'network.peer.address': '10.0.3.17',
          'http.response.status_code': 200,
          'http.response.header.content-type': ['application/json; charset=utf-8'],
        },
      });
      endAfter(outgoing, clock, 5 + random() * 20);
    }
    endAfter(handler, clock, 0.3);
    server.setAttribute('http.response.status_code', fails ? 500 : 200);
    if (fails) server.setStatus({ code: SpanStatusCode.ERROR });
    else server.setAttribute('http.response.body.size', 600 + prose(random, 40).length);
    endAfter(server, clock, 0.2);
  }
  return recorder.take();
}
