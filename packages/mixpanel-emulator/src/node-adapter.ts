import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorHandler } from './handler.js';
import type { EmulatorRequest } from './http-types.js';
import { MAX_BODY_BYTES } from './limits.js';

/** Bodies for /_emulator (fault settings) are tiny. */
const INSPECT_BODY_BYTES = 64 * 1024;
/** After a 413, this much more is read and thrown away (so the client can read the answer); past it the socket is cut. */
const DISCARD_BYTES = 256 * 1024 * 1024;

/**
 * Reads a body up to `limit` bytes. Past it, reading stops and what was read is dropped, so a
 * 50 MB post never sits in memory; the caller answers 413 and closes the connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.off('data', onData);
        req.off('end', onEnd);
        req.pause();
        resolve({ body: Buffer.alloc(0), tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve({ body: Buffer.concat(chunks), tooLarge: false });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** The node:http listener: a thin adapter from IncomingMessage to the handler and back. */
export function createNodeListener(handler: EmulatorHandler) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const limit = url.startsWith('/_emulator') ? INSPECT_BODY_BYTES : MAX_BODY_BYTES;
    readBody(req, limit)
      .then(async ({ body, tooLarge }) => {
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        const request: EmulatorRequest = { method: req.method ?? 'GET', url, headers, body, bodyTooLarge: tooLarge, remoteAddress: req.socket.remoteAddress };
        const answer = await handler.handle(request);
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (answer.drop) {
          req.socket.destroy();
          return;
        }
        if (tooLarge) {
          // Closing now would reset the connection before the client reads the 413 (unread bytes
          // trigger a TCP RST), so the rest is read and discarded, never buffered, up to a cap.
          let discarded = 0;
          req.on('data', (chunk: Buffer) => {
            discarded += chunk.length;
            if (discarded > DISCARD_BYTES) req.socket.destroy();
          });
          req.resume();
        }
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
        res.end(answer.body);
      })
      .catch(() => req.socket.destroy());
  };
}
