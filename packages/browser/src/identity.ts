import { uuid, type JsonObject } from '@tally/core';
import { parseObject } from './json-copy.js';
import type { Stores } from './storage/create-stores.js';

/** Everything the client remembers about the visitor. */
export interface IdentityState {
  anonymousId: string;
  userId: string | null;
  groupId: string | null;
  /** `'1'` opted out, `'0'` explicitly opted in, null: never chose. */
  optOut: string | null;
  traits: JsonObject;
  groupTraits: JsonObject;
  /** Super properties. */
  props: JsonObject;
}

type Field = keyof IdentityState;

// Each field and its storage key: the first four are ids, kept in the shared (cookie) store; the
// rest are objects, kept as JSON in the bulk store.
const FIELDS: Field[] = ['anonymousId', 'userId', 'groupId', 'optOut', 'traits', 'groupTraits', 'props'];
const KEYS = ['aid', 'uid', 'gid', 'optout', 'traits', 'gtraits', 'props'];
const IDS = 4;

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
  const state = {} as Record<Field, unknown>;
  // The serialised form last read or written per field: compared to skip needless writes.
  const saved: Partial<Record<Field, string | null>> = {};
  const store = (i: number) => (i < IDS ? stores.ids : stores.bulk);

  const read = (): boolean => {
    let changed = false;
    FIELDS.forEach((f, i) => {
      const raw = store(i).get(KEYS[i]!);
      // Another tab clearing the anonymous id must not leave this one without any.
      if ((raw === saved[f] && f in state) || (!i && !raw)) return;
      saved[f] = raw;
      // Missing or corrupt objects read as empty.
      state[f] = i < IDS ? raw : (parseObject(raw) ?? {});
      changed = true;
    });
    return changed;
  };

  const set = (patch: Partial<IdentityState>) => {
    for (const f in patch) {
      const i = FIELDS.indexOf(f as Field);
      const value = (state[f as Field] = patch[f as Field]);
      let raw = value === null ? null : i < IDS ? (value as string) : JSON.stringify(value);
      if (raw === '{}') raw = null;
      if (raw === saved[f as Field]) continue;
      saved[f as Field] = raw;
      if (raw === null) store(i).remove(KEYS[i]!);
      else store(i).set(KEYS[i]!, raw);
    }
  };

  read();
  if (!state.anonymousId) set({ anonymousId: uuid() });
  return { state: state as unknown as IdentityState, set, refresh: read };
}
