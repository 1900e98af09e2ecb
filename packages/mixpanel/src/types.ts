import type { JsonObject } from '@tally/core';

/** Mixpanel data residency: api.mixpanel.com, api-eu.mixpanel.com, api-in.mixpanel.com. */
export type Region = 'us' | 'eu' | 'in';

/** Mixpanel's ingestion endpoints that the mapping produces operations for. */
export type Endpoint = 'track' | 'import' | 'engage' | 'groups';

/**
 * One record for one Mixpanel endpoint: an event (`{ event, properties }`) for track/import,
 * one profile update for engage, one group update for groups. A sender batches the bodies of
 * operations with the same endpoint (and region) into one JSON array request.
 */
export interface Operation {
  endpoint: Endpoint;
  body: JsonObject;
}

/** Why a message cannot become Mixpanel data: a stable `code` and a sentence naming the problem. */
export interface Rejection {
  code: string;
  message: string;
}

/** The mapping's answer for one message on the cloud side. */
export type CloudResult =
  | {
      ok: true;
      operations: Operation[];
      warnings: string[];
      /** Properties the browser client should keep and add to later events (Mixpanel super properties); always set by `mapToCloud`. */
      superProperties?: JsonObject;
    }
  | { ok: false; rejection: Rejection };
