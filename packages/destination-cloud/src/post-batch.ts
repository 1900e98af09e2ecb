/**
 * POSTs one `/v1/batch` body. The write key travels inside the body and the type is
 * `text/plain`, so a plain or keepalive request is CORS-simple (no preflight). `gzip` adds
 * `Content-Encoding`, which is not safelisted and costs a preflight per Access-Control-Max-Age,
 * so the keepalive path never uses it. A keepalive fetch the browser refuses (over its 64 KB
 * in-flight budget, or unsupported) falls back to `sendBeacon`, whose answer never comes back
 * (resolves `undefined`).
 */
export const postBatch = async (url: string, body: string, gzip: boolean, keepalive: boolean): Promise<Response | undefined> =>
  fetch(url, {
    method: 'POST',
    keepalive,
    body: gzip ? await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer() : body,
    headers: gzip ? { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' } : {},
  }).catch((error: unknown) => {
    if (keepalive && navigator.sendBeacon?.(url, body)) return undefined;
    throw error;
  });
