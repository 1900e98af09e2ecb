/**
 * `tally sync`'s error codes and their texts, in one table, and the one error class. Every
 * text that can carry a connection URL or a secret goes through `redact` before it is shown.
 */

/** Every error `tally sync` stops with, and the sentence it starts with. */
export const ERRORS = {
  config_read: 'The config file could not be read',
  config_invalid: 'The sync config is invalid',
  source_url: 'The source URL is not supported (use sqlite:<path> or postgres://user:password@host/db)',
  source_connect: 'The source database could not be opened',
  source_query: 'The source query failed',
  column_missing: 'A mapped column is not in the query result',
  state_open: 'The sync state file could not be opened',
  aborted: 'The sync was aborted',
} as const;

/** A code of {@link ERRORS}. */
export type SyncErrorCode = keyof typeof ERRORS;

/** Per-record failure reasons found before anything is sent (Mixpanel's own reasons are passed on as they are). */
export const RECORD_ERRORS = {
  duplicate_key: (key: string) => `duplicate key ${key} in the query result (keys must be unique)`,
  missing_value: (field: string) => `${field} is empty`,
  invalid_time: (value: string) => `time ${value} is not seconds, milliseconds or a date`,
  undelivered: (error: string) => `not delivered after retries (${error}); sent again next run`,
} as const;

/**
 * The one error `tally sync` throws: a stable `code` from {@link ERRORS} and a message that
 * starts with the code's sentence and then says which input was wrong.
 */
export class SyncError extends Error {
  readonly code: SyncErrorCode;
  /** One line per problem (a config file can have several). */
  readonly details: string[];

  constructor(code: SyncErrorCode, details: string[] = []) {
    super(details.length ? `${ERRORS[code]}:\n  ${details.join('\n  ')}` : ERRORS[code]);
    this.name = 'SyncError';
    this.code = code;
    this.details = details;
  }
}
