import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the fake Mixpanel received. */
export interface FakeRequest {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  records: Array<{ event?: string; properties?: Record<string, unknown>; [key: string]: unknown }>;
  /** The body as received (before gunzip). */
  raw: Buffer;
}

/** A scripted reply: status, JSON body, headers. */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A tiny scriptable stand-in for Mixpanel's ingestion API (the emulator covers real validation). */
export async function startFakeMixpanel(reply: (req: FakeRequest, n: number) => FakeReply = () => ({ status: 200, body: { status: 1 } })) {
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
      const url = new URL(req.url ?? '/', 'http://fake');
      const entry: FakeRequest = { path: url.pathname, query: url.searchParams, headers: req.headers, raw, records: text.startsWith('[') ? JSON.parse(text) : [] };
      requests.push(entry);
      const r = reply(entry, requests.length);
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(JSON.stringify(r.body ?? { status: 1 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Every record received, in arrival order. */
    records: () => requests.flatMap((r) => r.records),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
