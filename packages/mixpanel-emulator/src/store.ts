import { createEventStore, type EventQuery } from './event-store.js';
import { createIdentityGraph } from './identity.js';
import { applyOperation, type ProfileUpdate } from './profile-update.js';
import type { Cluster, Endpoint, Profile, Region, Rejection, StoredEvent } from './types.js';

const profileKey = (projectId: number, distinctId: string) => `${projectId}\u0000${distinctId}`;
const groupKey = (projectId: number, key: string, id: string) => `${projectId}\u0000${key}\u0000${id}`;

/** Everything the emulator has accepted or refused, bounded, with the look-ups tests need. */
export function createStore(options: { maxEvents: number; maxRejections: number }) {
  const events = createEventStore(options.maxEvents);
  const identity = createIdentityGraph();
  const profiles = new Map<string, Profile>();
  const groups = new Map<string, Profile>();
  // Rejections live in an insertion-ordered Map so evicting the oldest is O(1).
  const rejections = new Map<number, Rejection>();
  const requests = new Map<string, number>();
  let rejectionSeq = 1;
  let rejectionsEvicted = 0;

  function update(map: Map<string, Profile>, key: string, base: Omit<Profile, 'properties' | 'lastSeen' | 'ip' | 'updates'>, u: ProfileUpdate, nowMs: number): void {
    let profile = map.get(key);
    if (!profile) map.set(key, (profile = { ...base, properties: Object.create(null) as Record<string, unknown>, lastSeen: undefined, ip: undefined, updates: 0 }));
    applyOperation(profile.properties, u.op, u.value);
    profile.updates++;
    // `$ignore_time` keeps "Last Seen" unchanged; `$ip: "0"` disables geolocation (Engage API).
    if (!u.ignoreTime) profile.lastSeen = nowMs;
    if (u.ip !== undefined && u.ip !== '0') profile.ip = u.ip;
  }

  return {
    events,
    identity,
    /** Counts one ingestion request per endpoint and region. */
    countRequest(endpoint: string, region: Region): void {
      const key = `${endpoint} ${region}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    },
    reject(r: Omit<Rejection, 'seq'>): void {
      const seq = rejectionSeq++;
      rejections.set(seq, { ...r, seq });
      while (rejections.size > options.maxRejections) {
        rejections.delete(rejections.keys().next().value as number);
        rejectionsEvicted++;
      }
    },
    /** Applies a validated /engage update; `$delete` without `$ignore_alias` removes the whole cluster's profiles. */
    applyUserUpdate(projectId: number, u: ProfileUpdate, nowMs: number): void {
      const id = u.distinctId as string;
      if (u.op === '$delete') {
        const ids = u.ignoreAlias ? [id] : identity.clusterOf(id).ids;
        for (const member of ids) profiles.delete(profileKey(projectId, member));
        return;
      }
      identity.touch(id);
      update(profiles, profileKey(projectId, id), { projectId, distinctId: id }, u, nowMs);
    },
    applyGroupUpdate(projectId: number, u: ProfileUpdate, nowMs: number): void {
      const key = groupKey(projectId, u.groupKey as string, u.groupId as string);
      if (u.op === '$delete') groups.delete(key);
      else update(groups, key, { projectId, groupKey: u.groupKey as string, groupId: u.groupId as string }, u, nowMs);
    },
    /** A user's profile as Mixpanel shows it: the cluster's profiles merged, the canonical id's values winning. */
    profileOf(distinctId: string, projectId?: number): Profile | undefined {
      const cluster = identity.clusterOf(distinctId);
      const found = cluster.ids
        .flatMap((id) => [...matching(profiles, id, projectId)])
        .sort((a, b) => Number(a.distinctId === cluster.canonical) - Number(b.distinctId === cluster.canonical));
      if (found.length === 0) return undefined;
      const merged: Profile = { ...(found[found.length - 1] as Profile), distinctId: cluster.canonical, properties: Object.create(null) as Record<string, unknown> };
      for (const p of found) Object.assign(merged.properties, p.properties);
      return merged;
    },
    profiles(): Profile[] {
      return [...profiles.values()];
    },
    groupOf(key: string, id: string, projectId?: number): Profile | undefined {
      for (const g of groups.values()) if (g.groupKey === key && g.groupId === id && (projectId === undefined || g.projectId === projectId)) return g;
      return undefined;
    },
    groups(): Profile[] {
      return [...groups.values()];
    },
    clusterOf(distinctId: string): Cluster {
      return identity.clusterOf(distinctId);
    },
    /** Events on every id of `distinctId`'s cluster, newest first. */
    eventsOf(distinctId: string, query: Omit<EventQuery, 'distinctIds'> = {}): StoredEvent[] {
      return events.list({ ...query, distinctIds: identity.clusterOf(distinctId).ids });
    },
    rejections(filter: { endpoint?: Endpoint; limit?: number } = {}): Rejection[] {
      const out: Rejection[] = [];
      for (const r of [...rejections.values()].reverse()) {
        if (out.length >= (filter.limit ?? Number.POSITIVE_INFINITY)) break;
        if (filter.endpoint === undefined || r.endpoint === filter.endpoint) out.push(r);
      }
      return out;
    },
    requests(): Record<string, number> {
      return Object.fromEntries(requests);
    },
    stats() {
      return {
        events: events.stats(),
        rejections: { stored: rejections.size, evicted: rejectionsEvicted },
        profiles: profiles.size,
        groups: groups.size,
        clusters: identity.count(),
        requests: Object.fromEntries(requests),
      };
    },
    reset(): void {
      events.clear();
      identity.clear();
      profiles.clear();
      groups.clear();
      rejections.clear();
      requests.clear();
      rejectionsEvicted = 0;
    },
  };
}

function* matching(map: Map<string, Profile>, distinctId: string, projectId: number | undefined): Generator<Profile> {
  if (projectId !== undefined) {
    const p = map.get(profileKey(projectId, distinctId));
    if (p) yield p;
    return;
  }
  for (const p of map.values()) if (p.distinctId === distinctId) yield p;
}

/** The emulator's state. */
export type Store = ReturnType<typeof createStore>;
