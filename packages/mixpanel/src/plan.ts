import type { JsonObject } from '@tally/core';
import type { Warning } from './messages.js';

/** Who a message is about, in Mixpanel's terms. */
export interface Identity {
  /** The event's `distinct_id` and the profile's `$distinct_id`. */
  distinctId: string;
  /** The anonymous id (sent as `$device_id` under Simplified ID Merge). */
  anonymousId?: string;
  /** The known user id (`$user_id` under Simplified ID Merge). */
  userId?: string;
}

/** One event, decided once for both modes. */
export interface EventPlan {
  name: string;
  /** Properties from the message (user, page, campaign, group): what device mode passes to `track`. */
  properties: JsonObject;
  /** Mixpanel default properties from the context ($os, $current_url, …): mixpanel.js adds its own, so cloud only (empty on the device path). */
  contextProperties: JsonObject;
}

/** Profile (/engage) operations for the user; one Mixpanel update each. */
export interface PeoplePlan {
  set: JsonObject;
  setOnce: JsonObject;
  add: Record<string, number>;
  union: Record<string, unknown[]>;
  append: JsonObject;
}

/** An identity link to make, as Mixpanel's Original ID Merge or mixpanel.js need it. */
export type IdentityAction =
  | { kind: 'identify'; userId: string; anonymousId?: string; merge: boolean }
  | { kind: 'alias'; alias: string; original: string };

/** A group profile update (/groups `$set`). */
export interface GroupPlan {
  key: string;
  id: string;
  set: JsonObject;
}

/**
 * The neutral decision for one message: what to record, independent of how it is sent. The
 * cloud renderer turns it into HTTP operations, the device renderer into mixpanel.js calls.
 */
export interface Plan {
  identity: Identity;
  /** The message time in ms since epoch. */
  time: number;
  /** `$insert_id` derived from the message id. */
  insertId: string;
  event?: EventPlan;
  identityAction?: IdentityAction;
  /** Properties every later event should carry: mixpanel.js `register` in device mode; the client keeps them in cloud mode. */
  superProperties: JsonObject;
  /** Present only when people is on and the user is known. */
  people?: PeoplePlan;
  /** Profile update fields: `$ip` (`'0'` = no geolocation) and `$ignore_time`. */
  profile: { ip?: string; ignoreTime?: boolean };
  /** Event `ip` property (a real address only). */
  eventIp?: string;
  group?: GroupPlan;
  warnings: Warning[];
  /** The cloud event record, built once when mapToCloud checks its size and reused by the renderer. */
  eventRecord?: JsonObject;
}

/** An empty people plan. */
export function emptyPeople(): PeoplePlan {
  return { set: {}, setOnce: {}, add: {}, union: {}, append: {} };
}
