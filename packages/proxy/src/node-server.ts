import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ProxyConfig, ProxyConfigInput } from './config.js';
import { httpError } from './errors.js';
import { createProxy, type Proxy, type ProxyDeps } from './proxy.js';
import type { ProxyCall, ProxyReply } from './proxy-call.js';
import { bodyEncoding, readStreamBody } from './read-body.js';

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

/**
 * Reads a plain (not gzip) body from the socket within `maxBytes`. Past it, reading stops and
 * what was read is dropped; the answer then closes the connection (`req.complete` is false).
 */
function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    function onData(chunk: Buffer) {
      total += chunk.length;
      if (total > maxBytes) {
        done();
        req.pause();
        chunks.length = 0;
        reject(httpError('request_too_large', `the body is over ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd() {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    }
    function onError(error: Error) {
      done();
      reject(error);
    }
    function onClose() {
      // The client went away before the body ended.
      done();
      reject(new Error('the request was aborted'));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** node:http request → the proxy's call, without a fetch Request unless a route asks for one. */
function toCall(req: IncomingMessage, base: string): ProxyCall {
  const header = (name: string): string | null => {
    const value = req.headers[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  };
  let request: Request | undefined;
  return {
    method: req.method ?? 'GET',
    path: new URL(req.url ?? '/', base).pathname,
    header,
    async body(limits) {
      const { gzipped } = bodyEncoding(header, limits);
      // gzip bodies take the web-stream path (DecompressionStream with its inflated-size bound).
      if (gzipped) return readStreamBody(header, Readable.toWeb(req) as ReadableStream<Uint8Array>, limits);
      return readNodeBody(req, limits.maxBytes);
    },
    request: () => (request ??= toRequest(req, base)),
  };
}

async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  writeReply({ status: response.status, headers, body: null }, body, req, res);
}

function writeReply(reply: ProxyReply, body: Buffer | string | undefined, req: IncomingMessage, res: ServerResponse): void {
  const headers = reply.headers;
  if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  // Refused before the body was read (413, 401…): close rather than read the rest of it.
  if (!req.complete) headers.connection = 'close';
  res.writeHead(reply.status, headers);
  res.end(body);
}

/** Wraps a proxy in a node:http listener (client address from the socket). */
export function nodeListener(proxy: Proxy, base = 'http://localhost') {
  return (req: IncomingMessage, res: ServerResponse) => {
    proxy
      .respond(toCall(req, base), { remoteAddress: req.socket.remoteAddress })
      .then((answer) => (answer instanceof Response ? writeResponse(answer, req, res) : writeReply(answer, answer.body ?? undefined, req, res)))
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
