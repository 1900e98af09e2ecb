import { MESSAGES } from './messages.js';
import type { Cluster } from './types.js';

/**
 * Identity clusters as Mixpanel resolves them (docs: Identity Management, MIXPANEL.md §5), kept
 * as a union-find over distinct ids so each merge and lookup is near O(1).
 * Simplified: the first event with `$device_id` and `$user_id` merges `$device:<id>` into the user;
 * a device merged into one user never joins another, and two users never merge.
 * Original: `$identify` merges `$anon_id` into `$identified_id` unless the anon id already belongs
 * to another identified user; `$create_alias` links a new id; `$merge` merges unconditionally.
 */
export function createIdentityGraph() {
  const parent = new Map<string, string>();
  const members = new Map<string, Set<string>>();
  const canonicalOf = new Map<string, string>();
  /** The identified user id of a cluster, once it has one. */
  const userOf = new Map<string, string>();

  function find(id: string): string {
    let root = id;
    for (let next = parent.get(root); next !== undefined && next !== root; next = parent.get(root)) root = next;
    // Path compression keeps later look-ups flat.
    for (let node = id, next = parent.get(node); next !== undefined && next !== root; node = next, next = parent.get(node)) {
      parent.set(node, root);
    }
    return root;
  }

  function ensure(id: string): string {
    if (!parent.has(id)) {
      parent.set(id, id);
      members.set(id, new Set([id]));
      canonicalOf.set(id, id);
    }
    return find(id);
  }

  function union(a: string, b: string, canonical: string, user: string | undefined): void {
    let ra = ensure(a);
    let rb = ensure(b);
    if (ra === rb) return;
    const ma = members.get(ra) as Set<string>;
    const mb = members.get(rb) as Set<string>;
    if (ma.size < mb.size) [ra, rb] = [rb, ra];
    const keep = members.get(ra) as Set<string>;
    const gone = members.get(rb) as Set<string>;
    for (const id of gone) keep.add(id);
    const knownUser = user ?? userOf.get(ra) ?? userOf.get(rb);
    parent.set(rb, ra);
    members.delete(rb);
    canonicalOf.delete(rb);
    userOf.delete(rb);
    canonicalOf.set(ra, canonical);
    if (knownUser !== undefined) userOf.set(ra, knownUser);
  }

  const clusterAt = (root: string): Cluster => ({
    canonical: canonicalOf.get(root) ?? root,
    ids: [...(members.get(root) ?? [root])],
  });

  return {
    /** Simplified ID Merge: applies one event's ids; returns a note when the merge was refused. */
    simplified(distinctId: string, deviceId: unknown, userId: unknown): string | undefined {
      if (distinctId !== '') ensure(distinctId);
      const device = typeof deviceId === 'string' && deviceId !== '' ? `$device:${deviceId}` : undefined;
      const user = typeof userId === 'string' && userId !== '' ? userId : undefined;
      if (device) ensure(device);
      if (!user) return undefined;
      const userRoot = ensure(user);
      if (!userOf.has(userRoot)) {
        userOf.set(userRoot, user);
        canonicalOf.set(userRoot, user);
      }
      if (!device) return undefined;
      const deviceRoot = find(device);
      if (deviceRoot === userRoot) return undefined;
      const deviceUser = userOf.get(deviceRoot);
      if (deviceUser !== undefined && deviceUser !== user) return MESSAGES.deviceAlreadyMerged(device, deviceUser);
      union(user, device, user, user);
      return undefined;
    },
    /** Original ID Merge `$identify`; returns a note when Mixpanel would refuse it. */
    identify(anonId: string, identifiedId: string): string | undefined {
      const anonRoot = ensure(anonId);
      const userRoot = ensure(identifiedId);
      if (anonRoot === userRoot) return undefined;
      const anonUser = userOf.get(anonRoot);
      if (anonUser !== undefined && anonUser !== identifiedId) return MESSAGES.identityRefused(anonId, identifiedId);
      union(identifiedId, anonId, identifiedId, identifiedId);
      return undefined;
    },
    /** Original ID Merge `$create_alias`: links `alias` to `distinctId`'s cluster. */
    alias(alias: string, distinctId: string): string | undefined {
      const aliasRoot = ensure(alias);
      const targetRoot = ensure(distinctId);
      if (aliasRoot === targetRoot) return undefined;
      if ((members.get(aliasRoot)?.size ?? 1) > 1) return MESSAGES.aliasRefused(alias);
      union(distinctId, alias, canonicalOf.get(targetRoot) ?? distinctId, undefined);
      return undefined;
    },
    /** `$merge`: merges every listed id's cluster, unconditionally. */
    merge(ids: string[]): void {
      const [first, ...rest] = ids;
      if (first === undefined) return;
      const canonical = canonicalOf.get(ensure(first)) ?? first;
      for (const id of rest) union(first, id, canonical, undefined);
    },
    /** Records an id that appeared, so it shows as its own cluster. */
    touch(id: string): void {
      if (id !== '') ensure(id);
    },
    /** The cluster `id` belongs to; a bare device id also finds its `$device:` cluster. */
    clusterOf(id: string): Cluster {
      if (parent.has(id)) return clusterAt(find(id));
      if (parent.has(`$device:${id}`)) return clusterAt(find(`$device:${id}`));
      return { canonical: id, ids: [id] };
    },
    /** How many clusters there are. */
    count(): number {
      return members.size;
    },
    /** Every cluster. */
    clusters(): Cluster[] {
      return [...members.keys()].map(clusterAt);
    },
    clear(): void {
      parent.clear();
      members.clear();
      canonicalOf.clear();
      userOf.clear();
    },
  };
}

/** The identity graph. */
export type IdentityGraph = ReturnType<typeof createIdentityGraph>;
