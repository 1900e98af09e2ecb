/**
 * Every text the client prints, in one table: one wording per problem, and one copy in the bundle.
 * Printed as `[tally] <call>(): <text>`, so each names the call it is about.
 */
export const WARNINGS = {
  event: 'event name must be a non-empty string',
  id: 'id must be a non-empty string or number',
  props: 'properties must be an object',
  options: 'options must be an object',
  group: 'no group id',
  method: 'unknown method',
  destination: 'not a destination',
  middleware: 'not a function',
  timestamp: 'bad timestamp',
  failed: 'failed',
  storage: 'refused; using memory',
} as const;

/** A key of {@link WARNINGS}. */
export type WarningKey = keyof typeof WARNINGS;
