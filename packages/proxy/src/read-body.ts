import { HttpError, httpError } from './errors.js';

/** Limits for reading a request body. */
export interface BodyLimits {
  /** Bytes after decompression (Segment's HTTP API: 500 KB per request). */
  maxBytes: number;
  /** Bytes on the wire for a gzip body; a compressed body larger than the limit is refused early. */
  maxWireBytes?: number;
}

async function readLimited(stream: ReadableStream<Uint8Array>, maxBytes: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // Stop reading as soon as the limit passes: a zip bomb never inflates past it.
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        throw httpError('request_too_large', `${what} is over ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** How a body arrives, from its headers: whether it is gzip and the limit on its wire bytes. */
export function bodyEncoding(header: (name: string) => string | null, limits: BodyLimits): { gzipped: boolean; wireLimit: number } {
  const encoding = (header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== '') throw httpError('unsupported_encoding', encoding);
  const gzipped = encoding === 'gzip';
  const wireLimit = gzipped ? (limits.maxWireBytes ?? limits.maxBytes) : limits.maxBytes;
  const declared = Number(header('content-length') ?? NaN);
  if (declared > wireLimit) throw httpError('request_too_large', `Content-Length ${declared} is over ${wireLimit} bytes`);
  return { gzipped, wireLimit };
}

/**
 * Reads a body stream within the limits, inflating `Content-Encoding: gzip` (the browser
 * destination gzips with CompressionStream) with the inflated size bounded.
 */
export async function readStreamBody(
  header: (name: string) => string | null,
  stream: ReadableStream<Uint8Array> | null,
  limits: BodyLimits,
): Promise<Uint8Array<ArrayBuffer>> {
  const { gzipped, wireLimit } = bodyEncoding(header, limits);
  if (!stream) return new Uint8Array(0);
  if (!gzipped) return readLimited(stream, limits.maxBytes, 'the body');
  let wire = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      wire += chunk.byteLength;
      if (wire > wireLimit) controller.error(httpError('request_too_large', `the compressed body is over ${wireLimit} bytes`));
      else controller.enqueue(chunk);
    },
  });
  const inflated = stream.pipeThrough(counter).pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  try {
    return await readLimited(inflated, limits.maxBytes, 'the decompressed body');
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw httpError('invalid_gzip', (error as Error).message);
  }
}

/** A fetch Request's body within the limits ({@link readStreamBody}). */
export function readBodyBytes(request: Request, limits: BodyLimits): Promise<Uint8Array<ArrayBuffer>> {
  return readStreamBody((name) => request.headers.get(name), request.body, limits);
}

/** {@link readBodyBytes} as UTF-8 text. */
export async function readBody(request: Request, limits: BodyLimits): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(request, limits));
}
