import type { FaultInjector } from './faults.js';
import { json, type EmulatorRequest, type EmulatorResponse } from './http-types.js';
import { MESSAGES } from './messages.js';
import type { Store } from './store.js';
import type { Endpoint, Faults } from './types.js';
import { UI_PAGE } from './ui-page.js';

const DEFAULT_LIMIT = 1000;

function limitOf(query: URLSearchParams): number {
  const n = Number(query.get('limit') ?? DEFAULT_LIMIT);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_LIMIT;
}

/** Checks a faults body posted to /_emulator/faults: rates in 0…1, delays and seeds non-negative numbers. */
export function parseFaults(value: unknown): Faults | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const out: Faults = {};
  for (const key of ['errorRate', 'rateLimitRate', 'dropRate', 'delayRate'] as const) {
    const n = v[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !(n >= 0 && n <= 1)) return undefined;
    out[key] = n;
  }
  for (const key of ['delayMs', 'retryAfterSeconds', 'seed'] as const) {
    const n = v[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !(n >= 0) || !Number.isFinite(n)) return undefined;
    out[key] = n;
  }
  const statuses = v['errorStatuses'];
  if (statuses !== undefined) {
    if (!Array.isArray(statuses) || !statuses.every((s) => Number.isInteger(s) && s >= 500 && s <= 599)) return undefined;
    out.errorStatuses = statuses as number[];
  }
  return out;
}

/** The read-only JSON inspect API under `/_emulator/`, plus reset, faults and the live page. Never faulted. */
export function handleInspect(req: EmulatorRequest, path: string, query: URLSearchParams, store: Store, faults: FaultInjector): EmulatorResponse {
  const route = `${req.method} ${path.replace(/\/+$/, '') || '/'}`;
  const distinctId = query.get('distinct_id') ?? undefined;
  switch (route) {
    case 'GET /':
    case 'GET /_emulator':
    case 'GET /_emulator/ui':
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: UI_PAGE };
    case 'GET /_emulator/events': {
      const filter = { event: query.get('event') ?? undefined, region: query.get('region') ?? undefined, limit: limitOf(query) };
      const user = query.get('user');
      const events =
        user !== null ? store.eventsOf(user, filter) : store.events.list({ ...filter, ...(distinctId !== undefined ? { distinctIds: [distinctId] } : {}) });
      return json(200, { total: store.events.size, events });
    }
    case 'GET /_emulator/profiles':
      if (distinctId !== undefined) {
        const profile = store.profileOf(distinctId);
        return profile ? json(200, profile) : json(404, { error: MESSAGES.notFound });
      }
      return json(200, { profiles: store.profiles().slice(-limitOf(query)).reverse() });
    case 'GET /_emulator/groups': {
      const key = query.get('group_key');
      const id = query.get('group_id');
      if (key !== null && id !== null) {
        const group = store.groupOf(key, id);
        return group ? json(200, group) : json(404, { error: MESSAGES.notFound });
      }
      return json(200, { groups: store.groups().slice(-limitOf(query)).reverse() });
    }
    case 'GET /_emulator/clusters':
      return json(200, distinctId !== undefined ? store.clusterOf(distinctId) : { clusters: store.identity.clusters() });
    case 'GET /_emulator/rejections': {
      const endpoint = (query.get('endpoint') ?? undefined) as Endpoint | undefined;
      return json(200, { rejections: store.rejections({ endpoint, limit: limitOf(query) }) });
    }
    case 'GET /_emulator/requests':
      return json(200, store.requests());
    case 'GET /_emulator/stats':
      return json(200, store.stats());
    case 'GET /_emulator/faults':
      return json(200, faults.get());
    case 'POST /_emulator/faults': {
      let parsed: Faults | undefined;
      try {
        parsed = parseFaults(JSON.parse(Buffer.from(req.body ?? new Uint8Array()).toString('utf8')));
      } catch {
        parsed = undefined;
      }
      if (!parsed) return json(400, { error: 'faults must be a JSON object of rates in 0…1, delayMs, retryAfterSeconds, seed, errorStatuses' });
      faults.set(parsed);
      return json(200, faults.get());
    }
    case 'POST /_emulator/reset':
      store.reset();
      return json(200, { ok: true });
    default:
      return json(/^(GET|POST) /.test(route) ? 404 : 405, { error: /^(GET|POST) /.test(route) ? MESSAGES.notFound : MESSAGES.methodNotAllowed(req.method) });
  }
}
