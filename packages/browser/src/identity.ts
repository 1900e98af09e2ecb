import { uuid, type JsonObject } from '@tally/core';
import type { Stores } from './storage/create-stores.js';

/** Everything the client remembers about the visitor. */
export interface IdentityState {
  anonymousId: string;
  userId: string | null;
  traits: JsonObject;
  groupId: string | null;
  groupTraits: JsonObject;
  /** Super properties. */
  props: JsonObject;
  /** `'1'` opted out, `'0'` explicitly opted in, null: never chose. */
  optOut: string | null;
}

type Field = keyof IdentityState;

// Storage key and store of each field: ids in the shared (cookie) store, objects in the bulk store.
const KEYS: { [F in Field]: [key: string, bulk: boolean] } = {
  anonymousId: ['aid', false],
  userId: ['uid', false],
  groupId: ['gid', false],
  optOut: ['optout', false],
  traits: ['traits', true],
  groupTraits: ['gtraits', true],
  props: ['props', true],
};
const FIELDS = Object.keys(KEYS) as Field[];

/** The identity kept in memory, written to storage only when a value changes. */
export interface Identity {
  /** The current state; read it freely, change it only through `set`. */
  readonly state: IdentityState;
  /** Applies a change and persists the fields whose value differs. */
  set(patch: Partial<IdentityState>): void;
  /** Re-reads storage (another tab or subdomain changed it); returns true if anything changed. */
  refresh(): boolean;
}

/** Loads the identity from `stores` (creating an anonymous id on first use). */
export function createIdentity(stores: Pick<Stores, 'ids' | 'bulk'>): Identity {
  const state = {} as IdentityState;
  // The serialised form last read or written per field: compared to skip needless writes.
  const saved: Partial<Record<Field, string | null>> = {};
  const store = (f: Field) => (KEYS[f][1] ? stores.bulk : stores.ids);
  const encode = (v: unknown): string | null =>
    v === null || v === undefined ? null : typeof v === 'string' ? v : ((v = JSON.stringify(v)), v === '{}' ? null : (v as string));
  const decode = (f: Field, raw: string | null): unknown => {
    if (!KEYS[f][1]) return raw;
    try {
      const v = raw && JSON.parse(raw);
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
    } catch {
      return {};
    }
  };

  const read = (): boolean => {
    let changed = false;
    for (const f of FIELDS) {
      const raw = store(f).get(KEYS[f][0]);
      if (raw === saved[f] && f in state) continue;
      // Another tab clearing the anonymous id must not leave this one without any.
      if (f === 'anonymousId' && !raw) continue;
      saved[f] = raw;
      (state as unknown as Record<Field, unknown>)[f] = decode(f, raw);
      changed = true;
    }
    return changed;
  };

  const set = (patch: Partial<IdentityState>) => {
    for (const f of Object.keys(patch) as Field[]) {
      const v = patch[f];
      (state as unknown as Record<Field, unknown>)[f] = v;
      const raw = encode(v);
      if (raw === saved[f]) continue;
      saved[f] = raw;
      if (raw === null) store(f).remove(KEYS[f][0]);
      else store(f).set(KEYS[f][0], raw);
    }
  };

  read();
  if (!state.anonymousId) set({ anonymousId: uuid() });
  return { state, set, refresh: read };
}
