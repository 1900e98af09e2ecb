import { corsHeaders, preflight } from './cors.js';
import { createFaultInjector } from './faults.js';
import type { EmulatorRequest, EmulatorResponse } from './http-types.js';
import { json } from './http-types.js';
import { handleImport, handleTrack, type IngestContext } from './ingest-events.js';
import { handleProfiles } from './ingest-profiles.js';
import { handleInspect } from './inspect-api.js';
import { MAX_BODY_BYTES } from './limits.js';
import { MESSAGES } from './messages.js';
import { decodePayload } from './payload.js';
import { createProjectRegistry, DEFAULT_PROJECT } from './projects.js';
import { resolveRegion } from './region.js';
import { clientReply, faultReply, importError } from './replies.js';
import { createStore } from './store.js';
import type { Endpoint, EmulatorOptions } from './types.js';

const ENDPOINTS = new Set<Endpoint>(['track', 'import', 'engage', 'groups']);

/** The client's IP as Mixpanel sees it: the first X-Forwarded-For hop, else the socket's address. */
function clientIp(req: EmulatorRequest): string | undefined {
  const forwarded = req.headers['x-forwarded-for']?.split(',')[0]?.trim();
  return forwarded || req.remoteAddress;
}

/**
 * The emulator without a socket: `handle(request) → response` over a parsed request, plus its
 * state. `createEmulator` puts it behind node:http; tests may call it directly.
 * @example
 * const emu = createHandler();
 * const res = await emu.handle({ method: 'POST', url: '/track?verbose=1', headers: {}, body: Buffer.from('data=[…]') });
 */
export function createHandler(options: EmulatorOptions = {}) {
  const projects = createProjectRegistry(options.projects ?? [DEFAULT_PROJECT]);
  const store = createStore({ maxEvents: options.maxEvents ?? 100_000, maxRejections: options.maxRejections ?? 10_000 });
  const faults = createFaultInjector(options.faults);
  const identityMerge = options.identityMerge ?? 'simplified';
  const now = options.now ?? Date.now;

  function route(req: EmulatorRequest): EmulatorResponse {
    const url = new URL(req.url, 'http://emulator.invalid');
    const query = url.searchParams;
    if (url.pathname === '/' || url.pathname.startsWith('/_emulator')) return handleInspect(req, url.pathname, query, store, faults);
    const { region, path } = resolveRegion(req.headers['host'], url.pathname);
    const endpoint = path.replace(/^\/+|\/+$/g, '') as Endpoint;
    if (!ENDPOINTS.has(endpoint)) return json(404, { error: MESSAGES.notFound });
    if (req.method === 'OPTIONS') return preflight(req.headers['origin'], req.headers['access-control-request-headers']);
    // Old clients GET /track?data=…; /import takes POST only.
    if (req.method !== 'POST' && !(req.method === 'GET' && endpoint !== 'import')) {
      return json(405, { error: MESSAGES.methodNotAllowed(req.method) });
    }
    store.countRequest(endpoint, region);
    const verbose = query.get('verbose') === '1';
    const fault = faults.next();
    if (fault.kind === 'drop') return { status: 0, headers: {}, body: '', drop: true, delayMs: fault.delayMs };
    const respond = (res: EmulatorResponse): EmulatorResponse => (fault.delayMs ? { ...res, delayMs: fault.delayMs } : res);
    if (fault.kind === 'status') return respond(faultReply(endpoint, fault.status, verbose, fault.retryAfter));

    const ctx: IngestContext = { store, projects, identityMerge, nowMs: now(), region, params: query, remoteAddress: clientIp(req) };
    if (endpoint === 'import') {
      if (req.bodyTooLarge || (req.body?.byteLength ?? 0) > MAX_BODY_BYTES) return respond(importError(413, MESSAGES.tooLarge(MAX_BODY_BYTES)));
      const auth = projects.authenticate(req.headers['authorization'], query.get('project_id'));
      if ('error' in auth) return respond(importError(401, auth.error));
      // A project on another region's host fails authentication (docs 401-unauthorized: wrong regional endpoint).
      if (auth.project.residency && auth.project.residency !== region) return respond(importError(401, MESSAGES.wrongResidency(region)));
      const payload = decodePayload(endpoint, req, query);
      if (!payload.ok) return respond(importError(payload.status, payload.error));
      return respond(handleImport(payload.records, ctx, auth.project));
    }
    const payload = decodePayload(endpoint, req, query);
    if (!payload.ok) return respond(clientReply(false, payload.error, verbose, payload.status));
    for (const [key, value] of payload.formParams) if (!query.has(key)) query.set(key, value);
    return respond(endpoint === 'track' ? handleTrack(payload.records, ctx) : handleProfiles(payload.records, ctx, endpoint));
  }

  return {
    /** Answers one request; never throws (an unexpected error becomes a 500). */
    async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
      let res: EmulatorResponse;
      try {
        res = route(req);
      } catch (error) {
        res = json(500, { error: `emulator error: ${(error as Error).message}` });
      }
      return { ...res, headers: { ...corsHeaders(req.headers['origin']), ...res.headers } };
    },
    store,
    projects: projects.list,
    faults,
  };
}

/** An in-process emulator: the handler and its state. */
export type EmulatorHandler = ReturnType<typeof createHandler>;
