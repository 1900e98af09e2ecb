import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The self-hosted mixpanel.js, read once; undefined when the file cannot be found. */
export interface StaticScript {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/**
 * Loads mixpanel.js from `file`, or from the `mixpanel-browser` package's `dist/mixpanel.min.js`
 * resolved from here; undefined (the route stays off) when neither exists.
 */
export function loadMixpanelJs(file?: string): StaticScript | undefined {
  let path = file;
  if (!path) {
    try {
      path = createRequire(import.meta.url).resolve('mixpanel-browser/dist/mixpanel.min.js');
    } catch {
      return undefined;
    }
  }
  try {
    const body = new Uint8Array(readFileSync(path));
    return { body, etag: `"${body.byteLength.toString(16)}-${hash(body)}"` };
  } catch {
    return undefined;
  }
}

function hash(bytes: Uint8Array): string {
  let h = 0x811c9dc5; // FNV-1a: an ETag only needs to change with the file
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16);
}

/** Serves the script with caching headers (a day; revalidated by ETag). */
export function scriptResponse(script: StaticScript, request: Request): Response {
  const headers = {
    'content-type': 'application/javascript; charset=utf-8',
    'cache-control': 'public, max-age=86400',
    etag: script.etag,
  };
  if (request.headers.get('if-none-match') === script.etag) return new Response(null, { status: 304, headers });
  return new Response(request.method === 'HEAD' ? null : script.body, { status: 200, headers });
}
