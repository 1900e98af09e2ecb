// The two local origins every browser scenario talks to, both on 127.0.0.1:
// - `site`: the page under test, served with COOP/COEP so it is cross-origin isolated
//   (Chromium then coarsens performance.now() to 5 µs instead of 100 µs);
// - `sink`: a different port (so a different origin, like a real collector): serves each SDK's
//   files and settings, and answers 200 (with CORS) to every other request, counting them.
import { createServer } from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';

/** The event name every scenario tracks; the sink counts delivered events by it. */
export const BENCH_EVENT = 'Bench Event';

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>tally bench</title>
<script>/* snippets insert their script before the first script tag */</script></head>
<body><h1>bench</h1></body></html>`;

/**
 * Starts the site and the sink. `addAssets(map)` maps sink paths to `{ body: Buffer, type }`;
 * script assets are served gzip-encoded (level 9) when the browser asks, as a CDN would
 * (Chromium offers brotli only over https), so transfer sizes are gzip sizes.
 */
export async function startServers() {
  const assets = new Map();
  const gz = new Map();
  const state = { requests: [], lastDataAt: 0 };

  const cors = (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin || '*');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] || '*');
    res.setHeader('Access-Control-Max-Age', '600');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Timing-Allow-Origin', '*');
  };

  const sink = createServer((req, res) => {
    cors(req, res);
    const url = new URL(req.url, 'http://x');
    const asset = assets.get(url.pathname);
    if (asset && req.method === 'GET') {
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Cache-Control', 'no-store');
      if (asset.type.includes('javascript') && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
        res.setHeader('Content-Encoding', 'gzip');
        if (!gz.has(url.pathname)) gz.set(url.pathname, gzipSync(asset.body, { level: 9 }));
        res.end(gz.get(url.pathname));
      } else res.end(asset.body);
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const wire = Buffer.concat(chunks);
      // Request line + headers as sent (HTTP/1.1 framing: ": " and CRLF per header).
      let headerBytes = `${req.method} ${req.url} HTTP/1.1\r\n`.length + 2;
      for (let i = 0; i < req.rawHeaders.length; i += 2) headerBytes += req.rawHeaders[i].length + req.rawHeaders[i + 1].length + 4;
      state.requests.push({
        at: Date.now(),
        method: req.method,
        path: url.pathname,
        bodyBytes: wire.length,
        headerBytes,
        events: req.method === 'OPTIONS' ? 0 : countEvents(decode(wire, req.headers, url)),
        // The start of the first bodies, to see what an SDK sent when a count looks wrong.
        ...(state.requests.length < 5 ? { sample: wire.subarray(0, 160).toString('latin1'), contentEncoding: req.headers['content-encoding'] } : {}),
      });
      state.lastDataAt = Date.now();
      res.setHeader('Content-Type', 'application/json');
      res.end(url.searchParams.get('verbose') === '1' ? '{"status":1,"error":null}' : url.pathname.startsWith('/track') ? '1' : '{}');
    });
  });

  const site = createServer((req, res) => {
    // TALLY_BENCH_NO_ISOLATION=1 serves the page without COOP/COEP (timer steps 100 µs then).
    if (!process.env.TALLY_BENCH_NO_ISOLATION) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(PAGE);
  });
  for (const s of [sink, site]) s.keepAliveTimeout = 60_000;

  const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  const sinkPort = await listen(sink);
  const sitePort = await listen(site);
  return {
    sinkUrl: `http://127.0.0.1:${sinkPort}`,
    siteUrl: `http://127.0.0.1:${sitePort}/`,
    /** Data requests (everything but assets) since the last reset. */
    requests: () => state.requests,
    delivered: () => state.requests.reduce((n, r) => n + r.events, 0),
    lastDataAt: () => state.lastDataAt,
    addAssets(map) {
      for (const [path, asset] of map) assets.set(path, asset);
    },
    isAsset: (path) => assets.has(path),
    reset() {
      state.requests = [];
      state.lastDataAt = 0;
    },
    async close() {
      for (const s of [sink, site]) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
    },
  };
}

/** The JSON payload inside a request body, whatever the SDK's encoding; undefined when none. */
function decode(wire, headers, url) {
  let body = wire;
  try {
    const enc = headers['content-encoding'];
    if (enc === 'gzip') body = gunzipSync(wire);
    else if (enc === 'deflate') body = inflateSync(wire);
    else if (enc === 'br') body = brotliDecompressSync(wire);
  } catch {
    return undefined;
  }
  let text = body.toString('utf8');
  // mixpanel.js: form-encoded `data=<json or base64 json>`, or `?data=` on GET.
  const form = text.startsWith('data=') ? new URLSearchParams(text).get('data') : url.searchParams.get('data');
  if (form) text = form;
  for (const candidate of [text, safeBase64(text)]) {
    try {
      return JSON.parse(candidate);
    } catch {}
  }
  return undefined;
}

const safeBase64 = (text) => {
  try {
    return Buffer.from(text, 'base64').toString('utf8');
  } catch {
    return '';
  }
};

/** Events named BENCH_EVENT in a payload: a single event, an array, or `{ batch: [...] }`. */
function countEvents(payload) {
  if (!payload || typeof payload !== 'object') return 0;
  const items = Array.isArray(payload) ? payload : Array.isArray(payload.batch) ? payload.batch : [payload];
  return items.filter((item) => item && item.event === BENCH_EVENT).length;
}
