// The examples' dev server: plain node:http, no dependencies. Serves examples/ and the built
// bundles, and inlines the built snippet into HTML where a page writes `/* @tally-snippet */`,
// so every page runs the real snippet rather than a hand-kept copy. Given a proxy, it forwards
// `/v1/*` and `/mp/*` to it, as a site's own CDN or load balancer would in production.
import { createServer, request as httpRequest } from 'node:http';
import { pipeline } from 'node:stream';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const browserDist = join(root, 'packages/browser/dist');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** Where each URL prefix is read from; the first match wins, `/` (examples/) last. */
function defaultMounts() {
  return [
    ['/tally.min.js', join(browserDist, 'tally.min.js')],
    ['/tally.min.js.map', join(browserDist, 'tally.min.js.map')],
    ['/snippet.min.js', join(browserDist, 'snippet.min.js')],
    ['/snippet.min.js.map', join(browserDist, 'snippet.min.js.map')],
    // The script-tag bundles with a destination built in: cloud mode, and device mode (mixpanel.js).
    ['/tally-cloud.min.js', join(root, 'packages/destination-cloud/dist/tally-cloud.min.js')],
    ['/tally-cloud.min.js.map', join(root, 'packages/destination-cloud/dist/tally-cloud.min.js.map')],
    ['/tally-device.min.js', join(root, 'packages/destination-mixpanel/dist/tally-device.min.js')],
    ['/tally-device.min.js.map', join(root, 'packages/destination-mixpanel/dist/tally-device.min.js.map')],
    ['/tally-device-fallback.min.js', join(root, 'packages/destination-mixpanel/dist/tally-device-fallback.min.js')],
    ['/tally-device-fallback.min.js.map', join(root, 'packages/destination-mixpanel/dist/tally-device-fallback.min.js.map')],
    // Self-hosted mixpanel.js, where device mode looks for it by default (as the proxy serves it).
    ['/lib/mixpanel.min.js', join(root, 'node_modules/mixpanel-browser/dist/mixpanel.min.js')],
    // The ESM builds keep `mitt` and `@tally/*` as bare imports; pages map them here with an import map.
    ['/lib/mitt/', join(root, 'node_modules/mitt/dist/')],
    ['/lib/idb-keyval/', join(root, 'node_modules/idb-keyval/dist/')],
    ['/lib/', join(root, 'packages/')],
  ];
}

/** History-API apps: an unknown extensionless path under these prefixes gets the app's index.html. */
const SPA_ROOTS = ['/spa/'];

const SNIPPET_MARKER = '/* @tally-snippet */';

/** Maps a URL path to a file, refusing anything that would leave its mount. */
function locate(pathname, mounts) {
  for (const [prefix, target] of mounts) {
    if (prefix.endsWith('/') ? !pathname.startsWith(prefix) : pathname !== prefix) continue;
    if (!prefix.endsWith('/')) return target;
    let base = target;
    let rest = pathname.slice(prefix.length);
    // `/lib/<pkg>/x.js` reads packages/<pkg>/dist/x.js: only built files are served.
    if (prefix === '/lib/') {
      const [pkg = '', ...tail] = rest.split('/');
      if (!/^[\w-]+$/.test(pkg)) return undefined;
      base = join(target, pkg, 'dist');
      rest = tail.join('/');
    }
    base = normalize(base.endsWith(sep) ? base : base + sep);
    const file = normalize(join(base, rest));
    return file.startsWith(base) || file === base.slice(0, -1) ? file : undefined;
  }
  return undefined;
}

async function readSnippet() {
  try {
    const code = await readFile(join(browserDist, 'snippet.min.js'), 'utf8');
    // Inline it as shipped minus the source-map comment, which would point at the wrong URL.
    return code.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '').replace(/<\/script/gi, '<\\/script');
  } catch {
    return undefined;
  }
}

async function isFile(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function resolveFile(pathname, mounts) {
  const file = locate(pathname, mounts);
  if (!file) return undefined;
  if (await isFile(file)) return file;
  if (await isFile(join(file, 'index.html'))) return join(file, 'index.html');
  const spa = SPA_ROOTS.find((prefix) => pathname.startsWith(prefix));
  if (spa && !extname(pathname)) return locate(`${spa}index.html`, mounts);
  return undefined;
}

function send(res, status, type, body, extraHeaders = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extraHeaders });
  res.end(body);
}

/** Paths that belong to the Tally proxy: its ingest API and mixpanel.js's pass-through. */
const PROXY_PREFIXES = ['/v1/', '/mp/'];
// Connection-level headers describe one hop, so they are not passed on; `host` becomes the proxy's.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);
// The proxy answers in milliseconds; a silent upstream socket this long is a fault, not a slow request.
const FORWARD_TIMEOUT_MS = 30_000;

const passable = (headers) => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

/**
 * Forwards one request to the proxy and streams the answer back: method, headers (the browser's
 * Origin included, so the proxy's origin check sees the page's origin), body and status. Bodies
 * stream in both directions, so memory stays bounded; the proxy enforces its own size limits.
 */
function forward(req, res, target) {
  // Path and query only, appended to the target: an absolute-form request URL cannot pick the host.
  const url = new URL(req.url ?? '/', 'http://localhost');
  const upstream = httpRequest(`${target}${url.pathname}${url.search}`, { method: req.method, headers: passable(req.headers), timeout: FORWARD_TIMEOUT_MS });
  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, passable(answer.headers));
    pipeline(answer, res, () => {});
  });
  upstream.on('timeout', () => upstream.destroy(new Error(`no answer in ${FORWARD_TIMEOUT_MS / 1000} s`)));
  upstream.on('error', (error) => {
    if (res.headersSent) return res.destroy();
    send(res, 502, CONTENT_TYPES['.txt'], `tally proxy at ${target} unreachable: ${error.message}\n`);
  });
  pipeline(req, upstream, () => {});
}

async function handle(req, res, mounts, { apiProxy, mixpanelUrl }) {
  const rawPath = (req.url ?? '/').split('?')[0];
  if (PROXY_PREFIXES.some((prefix) => rawPath.startsWith(prefix))) {
    const target = typeof apiProxy === 'function' ? apiProxy() : apiProxy;
    if (target) return forward(req, res, target.replace(/\/+$/, ''));
    // Retry-After: a page's queue keeps its events and tries again once the proxy is up.
    return send(res, 503, CONTENT_TYPES['.txt'], 'no Tally proxy behind this server: `npm start` runs one\n', { 'retry-after': '5' });
  }
  // The pages link here to see their events arrive; the server knows where "Mixpanel" is today.
  if (rawPath === '/mixpanel') {
    if (mixpanelUrl) return send(res, 302, CONTENT_TYPES['.txt'], '', { location: mixpanelUrl });
    return send(res, 404, CONTENT_TYPES['.txt'], 'no Mixpanel emulator behind this server: `npm start` runs one\n');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, CONTENT_TYPES['.txt'], 'method not allowed\n');
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    return send(res, 400, CONTENT_TYPES['.txt'], 'bad path\n');
  }
  // `/script-tag` → `/script-tag/`, so relative links on the page resolve inside the example.
  const dir = !extname(pathname) && !pathname.endsWith('/') ? locate(pathname, mounts) : undefined;
  if (dir && (await isFile(join(dir, 'index.html')))) {
    return send(res, 301, CONTENT_TYPES['.txt'], '', { location: `${pathname}/` });
  }
  const file = await resolveFile(pathname, mounts);
  // Browsers ask for a favicon on every page; "none" is not an error worth a console line.
  if (!file && pathname === '/favicon.ico') return send(res, 204, 'image/x-icon', undefined);
  if (!file) return send(res, 404, CONTENT_TYPES['.txt'], `not found: ${pathname}\n`);
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  if (extname(file) !== '.html') return send(res, 200, type, req.method === 'HEAD' ? undefined : await readFile(file));
  let html = await readFile(file, 'utf8');
  if (html.includes(SNIPPET_MARKER)) {
    const snippet = await readSnippet();
    if (!snippet) return send(res, 500, CONTENT_TYPES['.txt'], 'packages/browser/dist/snippet.min.js is missing: run `npm run build`\n');
    html = html.replaceAll(SNIPPET_MARKER, () => snippet);
  }
  return send(res, 200, type, req.method === 'HEAD' ? undefined : html);
}

/**
 * Starts the examples server on 127.0.0.1; port 0 picks a free one.
 * @param options.port default 8080
 * @param options.mounts extra `[urlPrefix, directory]` pairs served before the defaults (e2e fixtures)
 * @param options.apiProxy the Tally proxy's base URL that `/v1/*` and `/mp/*` go to, or a function
 *   returning it per request (the proxy may start after this server: its allowed origin is ours)
 * @param options.mixpanelUrl where `/mixpanel` redirects: the emulator's live page, or Mixpanel
 * @example const { url, close } = await startExamplesServer({ port: 0, apiProxy: proxy.url });
 */
export function startExamplesServer({ port = 8080, host = '127.0.0.1', mounts = [], apiProxy, mixpanelUrl } = {}) {
  const table = [...mounts.map(([prefix, dir]) => [prefix, resolve(dir)]), ...defaultMounts(), ['/', join(root, 'examples/')]];
  const server = createServer((req, res) => {
    handle(req, res, table, { apiProxy, mixpanelUrl }).catch((error) => {
      if (!res.headersSent) send(res, 500, CONTENT_TYPES['.txt'], `${error?.message ?? error}\n`);
      else res.destroy();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const url = `http://${host}:${address.port}`;
      const close = () =>
        new Promise((done) => {
          server.close(() => done());
          // Keep-alive sockets from browsers would otherwise hold close() open.
          server.closeAllConnections();
        });
      resolvePromise({ url, port: address.port, close });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Alone it serves the pages only; `--proxy http://127.0.0.1:8787` forwards /v1 and /mp to a running proxy.
  const { values } = parseArgs({ options: { port: { type: 'string', short: 'p' }, proxy: { type: 'string' } } });
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  const { url, close } = await startExamplesServer({ port, apiProxy: values.proxy });
  console.log(`examples: ${url}/`);
  const stop = () => close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
