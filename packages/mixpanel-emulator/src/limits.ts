/**
 * Mixpanel's ingestion limits, each with the page it comes from.
 * Shared facts file: /work/shared/MIXPANEL.md §2–3 (Mixpanel docs repository, openapi/src/ingestion.openapi.yaml).
 */

/** Records per request on /track, /import, /engage and /groups (ingestion OpenAPI spec; /groups since 2024-02). */
export const MAX_RECORDS_PER_REQUEST = 2000;
/** Uncompressed body bytes per request (MIXPANEL.md: 10 MB on /import; the /track page says its limits are /import's). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** One event or profile update, as uncompressed JSON ("Each event must be smaller than 1MB"). */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** "Each event must have fewer than 255 properties"; nested objects fewer than 255 keys, arrays fewer than 255 items. */
export const MAX_PROPERTIES = 254;
/** "max nesting depth is 3" for object properties. */
export const MAX_NESTING_DEPTH = 3;
/** "We truncate all strings down to 255 characters." */
export const MAX_STRING_LENGTH = 255;
/** "$insert_ids must be ≤ 36 bytes and contain only alphanumeric characters or '-'". */
export const INSERT_ID_PATTERN = /^[A-Za-z0-9-]{1,36}$/;
/** /import rejects events "before 1971-01-01" (seconds since epoch). */
export const MIN_IMPORT_TIME_S = Date.UTC(1971, 0, 1) / 1000;
/** /import rejects events "more than 1 hour in the future as measured on our servers". */
export const MAX_FUTURE_S = 3600;
/** /track ingests "Last 5 days only" (track-vs-import table); older events are answered 1 and dropped. */
export const TRACK_MAX_AGE_S = 5 * 24 * 3600;
/**
 * A `time` above this is read as milliseconds: as seconds it would be past year 5000 and so
 * rejected anyway ("in seconds or milliseconds since epoch").
 */
export const MILLISECONDS_THRESHOLD = 1e11;
