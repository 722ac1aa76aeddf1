/**
 * A small real forward proxy on loopback for the proxy tests: it forwards
 * absolute-URI requests (plain http targets) and tunnels CONNECT requests
 * (https targets), asks for credentials when given some, and records what it
 * saw: every request line and header, and every byte a client sent into a
 * tunnel.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** The request target as received: an absolute URI, or `host:port` for CONNECT. */
  target: string;
  headers: IncomingHttpHeaders;
}

export interface ForwardProxy {
  /** `http://127.0.0.1:port`, without credentials. */
  url: string;
  port: number;
  /** Absolute-URI requests, forwarded. */
  readonly forwarded: ProxiedRequest[];
  /** CONNECT requests, tunnelled when authorised. */
  readonly tunnels: ProxiedRequest[];
  /** Bytes clients wrote into tunnels after CONNECT. */
  tunnelBytes(): Buffer;
  /** TCP connections clients opened to the proxy. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts the proxy; with `credentials` (`user:password`), requests without them get a 407. */
export async function startForwardProxy(credentials?: string): Promise<ForwardProxy> {
  const forwarded: ProxiedRequest[] = [];
  const tunnels: ProxiedRequest[] = [];
  const tunnelChunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const expected = credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`;
  const authorised = (headers: IncomingHttpHeaders): boolean =>
    expected === undefined || headers['proxy-authorization'] === expected;

  const server = createServer((req, res) => {
    forwarded.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    if (!authorised(req.headers)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end('proxy credentials required');
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('a forward proxy needs an absolute URI');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end('upstream unreachable'));
    req.pipe(upstream);
  });

  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  server.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    if (!authorised(req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host, port] = splitHostPort(req.url ?? '');
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.on('data', (chunk: Buffer) => tunnelChunks.push(chunk));
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    forwarded,
    tunnels,
    tunnelBytes: () => Buffer.concat(tunnelChunks),
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function splitHostPort(target: string): [string, number] {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return match ? [match[1]!, Number(match[2])] : [target, 443];
}
