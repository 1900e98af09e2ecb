import { apiHost, mapToCloud } from '@tally/mixpanel';
import { pino, type Logger } from 'pino';
import { clientIp, parseTrustedProxies } from './client-ip.js';
import { resolveProxyConfig, type ProxyConfig, type ProxyConfigInput } from './config.js';
import { corsHeaders, originPolicy, preflightHeaders } from './cors.js';
import { errorReply, HttpError, httpError, jsonReply } from './errors.js';
import { ingest, INGEST_ROUTES, type CloudMapper } from './ingest.js';
import { createMetrics, type ProxyMetrics } from './metrics.js';
import { loadMixpanelJs, scriptResponse } from './mixpanel-js.js';
import { passThrough } from './pass-through.js';
import { callFromRequest, replyToResponse, type ProxyCall, type ProxyReply } from './proxy-call.js';
import { createConfiguredQueue } from './postgres/select-queue.js';
import type { Queue } from './queue.js';
import { createRateLimiter } from './rate-limit.js';
import { createMixpanelSender, type SendFn } from './sender.js';
import { createDelivery, type DeliveryThreadOption } from './delivery-host.js';
import type { Workers } from './worker.js';

/** What the host knows about the connection (the Node adapter fills it; edge runtimes may not). */
export interface ConnectionInfo {
  remoteAddress?: string;
}

/** Replaceable parts, for tests and other runtimes. */
export interface ProxyDeps {
  queue?: Queue;
  /** Defaults to `mapToCloud` with the configured Mixpanel settings. */
  map?: CloudMapper;
  /** Defaults to the Mixpanel HTTP sender. */
  send?: SendFn;
  /** `fetch` used by the sender and the pass-through. */
  fetch?: typeof fetch;
  logger?: Logger;
  /** The delivery thread: `false` keeps delivery on the main thread; `execArgv` for the thread (tests: a TypeScript loader). */
  deliveryThread?: DeliveryThreadOption;
  /** Replaces delivery (a cluster child ingests only and tells the primary, which delivers). */
  workers?: Workers;
}

/** A running proxy's core: a fetch handler plus delivery lifecycle. */
export interface Proxy {
  handler(request: Request, connection?: ConnectionInfo): Promise<Response>;
  /**
   * The core behind {@link Proxy.handler}, for a host that reads requests itself (the Node
   * listener): a plain reply, or a fetch `Response` for forwarded and file answers.
   */
  respond(call: ProxyCall, connection?: ConnectionInfo): Promise<ProxyReply | Response>;
  /** Starts the delivery workers (reclaiming whatever an earlier run left in the queue). */
  start(): void;
  /** Refuses new events, lets in-flight deliveries finish (bounded) and closes the queue. */
  stop(): Promise<void>;
  config: ProxyConfig;
  queue: Queue;
  metrics: ProxyMetrics;
  logger: Logger;
}

/**
 * Creates the proxy: Segment's HTTP tracking API in, a durable queue, workers delivering to Mixpanel.
 * @example
 * const proxy = createProxy({ writeKeys: ['wk'], mixpanel: { token: 't', apiSecret: 's' }, dataDir: './data' });
 * proxy.start();
 * const response = await proxy.handler(new Request('http://x/v1/track', { method: 'POST', body }));
 */
export function createProxy(input: ProxyConfigInput | ProxyConfig, deps: ProxyDeps = {}): Proxy {
  const config = 'settings' in input ? (input as ProxyConfig) : resolveProxyConfig(input);
  const logger = deps.logger ?? pino({ level: config.logLevel, base: { service: 'tally-proxy' } });
  const queue = deps.queue ?? createConfiguredQueue(config);
  const metrics = createMetrics(() => queue.size());
  const doFetch = deps.fetch ?? fetch;
  const send = deps.send ?? createMixpanelSender({ auth: config.auth, baseUrls: config.baseUrls, fetch: doFetch, ...pick(config.delivery, ['timeoutMs', 'gzip']) }).send;
  const map: CloudMapper = deps.map ?? ((message, now) => mapToCloud(message, config.settings, now));
  const workers = deps.workers ?? createDelivery({ queue, send, customSend: deps.send !== undefined || deps.fetch !== undefined, logger, metrics, config, thread: deps.deliveryThread });
  const trusted = parseTrustedProxies(config.trustedProxies);
  const allowOrigin = originPolicy(config.allowedOrigins);
  const limit = config.rateLimit ? createRateLimiter(config.rateLimit) : undefined;
  const script = config.mixpanelJs ? loadMixpanelJs(config.mixpanelJs.file) : undefined;
  if (config.mixpanelJs && !script) logger.warn({ file: config.mixpanelJs.file ?? 'mixpanel-browser/dist/mixpanel.min.js' }, 'mixpanel.js not found; not serving it');
  const writeKeys = new Set(config.writeKeys);
  const region = config.settings.region;
  const upstream = config.baseUrls[region] ?? apiHost(region);
  let accepting = true;

  async function route(call: ProxyCall, ip: string | undefined): Promise<ProxyReply | Response> {
    const path = call.path;
    if (path === '/healthz') return jsonReply(accepting ? 200 : 503, { ok: accepting, queued: await queue.size() });
    if (path === '/metrics') return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } });
    if (script && config.mixpanelJs && path === config.mixpanelJs.route) return scriptResponse(script, call.request());

    const ingestRoute = path.startsWith(`${config.pathPrefix}/`) ? INGEST_ROUTES[path.slice(config.pathPrefix.length + 1)] : undefined;
    const passRoute = config.passThrough && path.startsWith(`${config.passThrough.prefix}/`) ? path.slice(config.passThrough.prefix.length) : undefined;
    if (!ingestRoute && passRoute === undefined) throw httpError('not_found', path);
    if (limit && ip) {
      const wait = limit(ip);
      if (wait > 0) throw httpError('rate_limited', `retry in ${wait} s`, { 'retry-after': String(wait) });
    }
    if (passRoute !== undefined) return passThrough(call.request(), passRoute, ip, upstream, doFetch);
    if (call.method !== 'POST') throw httpError('method_not_allowed', `${call.method}; use POST`, { allow: 'POST, OPTIONS' });
    if (!accepting) throw httpError('shutting_down', undefined, { 'retry-after': '5' });
    // Backpressure: past the configured size the queue does not grow; clients keep their events.
    if ((await queue.size()) >= config.maxQueueSize) throw httpError('overloaded', undefined, { 'retry-after': '30' });
    return ingest(call, ingestRoute!, ip, { writeKeys, settings: config.settings, map, queue, metrics, logger, onEnqueued: workers.notify });
  }

  async function respond(call: ProxyCall, connection: ConnectionInfo = {}): Promise<ProxyReply | Response> {
    const origin = call.header('origin');
    const allowed = origin !== null && allowOrigin(origin);
    if (call.method === 'OPTIONS') {
      if (!allowed) return errorReply(httpError('origin_not_allowed', origin ?? 'no Origin header'));
      return { status: 204, headers: preflightHeaders(origin), body: null };
    }
    let answer: ProxyReply | Response;
    try {
      // A browser page on another origin may not send events (servers send no Origin header).
      if (origin !== null && !allowed) throw httpError('origin_not_allowed', origin);
      const ip = clientIp(connection.remoteAddress, call.header('x-forwarded-for'), trusted);
      answer = await route(call, ip);
    } catch (error) {
      const known = error instanceof HttpError;
      if (!known && !accepting) {
        // The queue closed under a request that was already past the door: the client retries.
        answer = errorReply(httpError('shutting_down', undefined, { 'retry-after': '5' }));
      } else {
        if (!known) logger.error({ err: error }, 'request failed');
        answer = errorReply(error);
      }
    }
    if (allowed) {
      const cors = corsHeaders(origin);
      if (answer instanceof Response) for (const [name, value] of Object.entries(cors)) answer.headers.set(name, value);
      else Object.assign(answer.headers, cors);
    }
    return answer;
  }

  async function handler(request: Request, connection: ConnectionInfo = {}): Promise<Response> {
    const answer = await respond(callFromRequest(request), connection);
    return answer instanceof Response ? answer : replyToResponse(answer);
  }

  return {
    handler,
    respond,
    start() {
      accepting = true;
      workers.start();
      logger.info({ region, prefix: config.pathPrefix, delivery: workers.mode }, 'tally proxy started');
    },
    async stop() {
      accepting = false;
      await workers.stop(config.shutdownTimeoutMs);
      await queue.close();
      logger.info('tally proxy stopped');
    },
    config,
    queue,
    metrics,
    logger,
  };
}

function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (object[k] !== undefined) out[k] = object[k];
  return out;
}

