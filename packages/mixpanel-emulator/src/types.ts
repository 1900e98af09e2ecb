/** Ingestion regions, one per Mixpanel host (US api., EU api-eu., IN api-in.). */
export type Region = 'us' | 'eu' | 'in';

/** The ingestion endpoints the emulator answers. */
export type Endpoint = 'track' | 'import' | 'engage' | 'groups';

/** How the project merges identities (Mixpanel project setting). */
export type IdentityMerge = 'simplified' | 'original';

/** A service account allowed to /import into a project (with `?project_id=`). */
export interface ServiceAccount {
  username: string;
  secret: string;
}

/** A Mixpanel project the emulator knows. */
export interface ProjectConfig {
  token: string;
  /** The legacy API secret, accepted by /import as the basic-auth username with an empty password. */
  secret: string;
  projectId: number;
  serviceAccounts?: ServiceAccount[];
  /** Data residency: when set, requests for this project on another region's host are refused. */
  residency?: Region;
}

/** Fault injection for ingestion endpoints (never for /_emulator). Rates are fractions of requests, 0…1. */
export interface Faults {
  /** Answer 500/502/503 (picked in turn from `errorStatuses`). */
  errorRate?: number;
  errorStatuses?: number[];
  /** Answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitRate?: number;
  retryAfterSeconds?: number;
  /** Destroy the connection without answering. */
  dropRate?: number;
  /** Delay every ingestion answer by this many milliseconds (with `delayRate`, only that fraction). */
  delayMs?: number;
  delayRate?: number;
  /** Seed for the PRNG that picks faulted requests, so runs are reproducible. */
  seed?: number;
}

/** Options for {@link createEmulator} and {@link createHandler}. */
export interface EmulatorOptions {
  port?: number;
  host?: string;
  projects?: ProjectConfig[];
  faults?: Faults;
  identityMerge?: IdentityMerge;
  /** Stored events kept before the oldest are evicted (default 100,000). */
  maxEvents?: number;
  /** Rejections kept before the oldest are evicted (default 10,000). */
  maxRejections?: number;
  /** The clock, in milliseconds since epoch (tests pin it). */
  now?: () => number;
}

/** One event as stored. `properties` is a prototype-free copy, strings truncated as Mixpanel does. */
export interface StoredEvent {
  seq: number;
  receivedAt: number;
  endpoint: 'track' | 'import';
  region: Region;
  projectId: number;
  event: string;
  distinctId: string;
  /** Seconds since epoch (fractions kept). */
  time: number;
  insertId: string | undefined;
  properties: Record<string, unknown>;
  /** How many later copies the dedupe key absorbed (the latest copy's data is kept). */
  duplicates: number;
}

/** Why a record (or request) was not stored. */
export interface Rejection {
  seq: number;
  at: number;
  endpoint: Endpoint;
  region: Region;
  index: number;
  field: string;
  reason: string;
  insertId?: string;
  record: unknown;
}

/** A user or group profile. */
export interface Profile {
  projectId: number;
  /** `$distinct_id` for users; `$group_key`/`$group_id` for groups. */
  distinctId?: string;
  groupKey?: string;
  groupId?: string;
  properties: Record<string, unknown>;
  /** Last time an update touched it without `$ignore_time` (ms). */
  lastSeen: number | undefined;
  /** Last `$ip` sent, unless "0" (geolocation disabled). */
  ip: string | undefined;
  updates: number;
}

/** An identity cluster: the canonical id and every id merged into it. */
export interface Cluster {
  canonical: string;
  ids: string[];
}
