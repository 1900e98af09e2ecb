import type { EmulatorResponse } from './http-types.js';

/**
 * CORS as api.mixpanel.com answers browsers. mixpanel.js sends every XHR `withCredentials = true`
 * (mixpanel-core.js `_send_request`), so the origin is echoed, never `*`, with credentials allowed
 * (mixpanel-js issue #253: "The tracking API returns a specific origin for Access-Control-Allow-Origin").
 */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin) return { 'access-control-allow-origin': '*' };
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}

/**
 * The OPTIONS preflight. Mixpanel does not list `Content-Type` in Access-Control-Allow-Headers
 * (mixpanel-js issue #364), so a browser `fetch` with `Content-Type: application/json` fails
 * there; the emulator refuses it too. Simple form posts (what mixpanel.js sends) need no preflight.
 */
export function preflight(origin: string | undefined, requestedHeaders: string | undefined): EmulatorResponse {
  const allowed = (requestedHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '' && h !== 'content-type');
  return {
    status: 200,
    headers: {
      ...corsHeaders(origin),
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      ...(allowed.length ? { 'access-control-allow-headers': allowed.join(', ') } : {}),
      'access-control-max-age': '86400',
      'content-length': '0',
    },
    body: '',
  };
}
