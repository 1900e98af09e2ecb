/**
 * The Segment-spec message model shared by the browser client, the mapping and the proxy.
 * Field names follow Segment's spec (https://segment.com/docs/connections/spec/common/).
 */

/** A JSON value as it travels on the wire. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A plain object of JSON-like values (properties, traits, context). */
export type JsonObject = { [key: string]: unknown };

/** The kinds of call a message can carry. */
export type MessageType = 'track' | 'page' | 'screen' | 'identify' | 'alias' | 'group';

/** Per-call switches: `{ All: false, Mixpanel: true }` sends to Mixpanel only. */
export type Integrations = { [name: string]: boolean | JsonObject };

/** What the client knows about the page, device and campaign when a call is made. */
export interface Context {
  library?: { name: string; version: string };
  page?: { path?: string; referrer?: string; search?: string; title?: string; url?: string };
  userAgent?: string;
  locale?: string;
  timezone?: string;
  screen?: { width?: number; height?: number; density?: number };
  campaign?: { name?: string; source?: string; medium?: string; term?: string; content?: string; [key: string]: unknown };
  /** Client IP. `0` or `'0'` disables geolocation downstream. */
  ip?: string | number;
  /** `false` means the user did not do this (a sync, a backfill): Mixpanel ignores it for "Last Seen". */
  active?: boolean;
  traits?: JsonObject;
  device?: { id?: string; token?: string; type?: string; manufacturer?: string; model?: string; [key: string]: unknown };
  os?: { name?: string; version?: string };
  app?: { name?: string; version?: string; build?: string; namespace?: string };
  groupId?: string;
  [key: string]: unknown;
}

/** Fields every message carries. */
export interface BaseMessage {
  type: MessageType;
  /** Unique per message; the dedupe key downstream (Mixpanel `$insert_id`). */
  messageId: string;
  /** ISO-8601 time the call was made. */
  timestamp: string;
  /** ISO-8601 time the message left the client; set at send time. */
  sentAt?: string;
  /** ISO-8601 time the proxy received it; set by the proxy. */
  receivedAt?: string;
  anonymousId?: string;
  userId?: string | null;
  context: Context;
  integrations: Integrations;
}

/** An action the user took (`track`). */
export interface TrackMessage extends BaseMessage {
  type: 'track';
  event: string;
  properties: JsonObject;
}

/** A page view (`page`). */
export interface PageMessage extends BaseMessage {
  type: 'page';
  name?: string;
  category?: string;
  properties: JsonObject;
}

/** A screen view in an app (`screen`). */
export interface ScreenMessage extends BaseMessage {
  type: 'screen';
  name?: string;
  category?: string;
  properties: JsonObject;
}

/** Who the user is and their traits (`identify`). */
export interface IdentifyMessage extends BaseMessage {
  type: 'identify';
  traits: JsonObject;
}

/** Links a new user id to a previous one (`alias`). */
export interface AliasMessage extends BaseMessage {
  type: 'alias';
  /** The new id. */
  userId: string;
  /** The id being linked to the new one (defaults to the current user or anonymous id). */
  previousId: string;
}

/** Puts the user in a group (company, team) with its traits (`group`). */
export interface GroupMessage extends BaseMessage {
  type: 'group';
  groupId: string;
  traits: JsonObject;
}

/** Any Segment-spec message. */
export type Message = TrackMessage | PageMessage | ScreenMessage | IdentifyMessage | AliasMessage | GroupMessage;
