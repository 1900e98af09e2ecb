import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ProxyConfig, ProxyConfigInput } from './config.js';
import { createProxy, type Proxy, type ProxyDeps } from './proxy.js';

/** A listening proxy. */
export interface ProxyServer {
  /** `http://host:port` it listens on. */
  url: string;
  proxy: Proxy;
  server: Server;
  /** Stops accepting, finishes in-flight requests and deliveries (bounded), closes the queue. */
  close(): Promise<void>;
}

/** node:http request → fetch Request; the body streams, so the handler's size limit applies as it arrives. */
function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', base), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers['content-length'] = String(body.byteLength);
  // Refused before the body was read (413, 401…): close rather than read the rest of it.
  if (!req.complete) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Wraps a proxy's fetch handler in a node:http listener (client address from the socket). */
export function nodeListener(proxy: Proxy, base = 'http://localhost') {
  return (req: IncomingMessage, res: ServerResponse) => {
    const request = toRequest(req, base);
    proxy
      .handler(request, { remoteAddress: req.socket.remoteAddress })
      .then((response) => writeResponse(response, req, res))
      .catch((error: unknown) => {
        proxy.logger.error({ err: error }, 'could not write response');
        res.destroy();
      });
  };
}

/**
 * Starts the proxy on a node:http server (`port: 0` picks a free port) and its delivery workers.
 * @example const { url, close } = await startProxyServer({ writeKeys: ['wk'], mixpanel: { token: 't' }, port: 8080 });
 */
export async function startProxyServer(config: ProxyConfigInput | ProxyConfig, deps: ProxyDeps = {}): Promise<ProxyServer> {
  const proxy = createProxy(config, deps);
  // keepAliveTimeout above common load balancers' 60 s idle timeout; requestTimeout bounds slow bodies.
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 30_000 }, nodeListener(proxy));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(proxy.config.port, proxy.config.host, () => resolve());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : family === 'IPv6' ? `[${address}]` : address;
  proxy.start();
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    proxy,
    server,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // In-flight requests get the shutdown timeout to finish before their sockets are cut.
        const timer = setTimeout(() => server.closeAllConnections(), proxy.config.shutdownTimeoutMs);
        await closed;
        clearTimeout(timer);
        await proxy.stop();
      })();
      return closing;
    },
  };
}
