import { httpError } from './errors.js';
import { readBodyBytes } from './read-body.js';

/** mixpanel.js's own routes (2.83 `api_routes` plus the older `/decide`) that may be forwarded. */
const ROUTES = new Set(['track', 'engage', 'groups', 'decide', 'flags', 'settings', 'record']);
// mixpanel.js sends ≤ 50 events per request; session-replay chunks are the largest bodies.
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Forwards one request of mixpanel.js (pointed at the proxy with `api_host`) to Mixpanel.
 * mixpanel.js asks for `ip=1` (geolocate from the request's address); from here Mixpanel would see
 * the proxy's address, so the client's address goes along as `X-Forwarded-For` and `X-Real-IP`,
 * as Mixpanel's own nginx tracking proxy (mixpanel/tracking-proxy) does.
 */
export async function passThrough(request: Request, path: string, clientIp: string | undefined, baseUrl: string, doFetch: typeof fetch = fetch): Promise<Response> {
  const route = path.replace(/^\/+|\/+$/g, '');
  if (!ROUTES.has(route)) throw httpError('not_found', `/${route} is not a Mixpanel route`);
  if (request.method !== 'GET' && request.method !== 'POST') throw httpError('method_not_allowed', request.method);
  const search = new URL(request.url).search;
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'user-agent', 'accept', 'authorization']) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  if (clientIp) {
    headers['x-forwarded-for'] = clientIp;
    headers['x-real-ip'] = clientIp;
  }
  const init: RequestInit = { method: request.method, headers, signal: AbortSignal.timeout(30_000) };
  // Bytes, not text: session-replay bodies may be binary. A gzip body is forwarded inflated.
  if (request.method === 'POST') init.body = await readBodyBytes(request, { maxBytes: MAX_BODY_BYTES });
  let upstream: Response;
  try {
    upstream = await doFetch(`${baseUrl.replace(/\/+$/, '')}/${route}/${search}`, init);
  } catch (error) {
    throw httpError('upstream_unavailable', (error as Error).message);
  }
  const body = await upstream.arrayBuffer();
  const type = upstream.headers.get('content-type');
  return new Response(body, { status: upstream.status, headers: type ? { 'content-type': type } : {} });
}
