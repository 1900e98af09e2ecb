import type { Rejection } from './types.js';

/** Every rejection code the mapping answers with, and the sentence its message starts with. */
export const REJECTIONS = {
  invalid_message: 'The message must be an object with a known `type`',
  invalid_message_id: '`messageId` must be a non-empty string (it becomes `$insert_id`)',
  invalid_timestamp: '`timestamp` must be an ISO-8601 date',
  time_in_future: 'The event time is more than 1 hour ahead of now (Mixpanel /import refuses it)',
  time_before_1971: 'The event time is before 1971-01-01 (Mixpanel /import refuses it)',
  time_too_old: 'The event is older than `maxEventAgeDays`',
  invalid_user_id: '`userId` must be a string or null',
  invalid_anonymous_id: '`anonymousId` must be a string',
  missing_id: 'The message needs a `userId` or an `anonymousId` (a non-empty string)',
  placeholder_id: 'The id is a placeholder value that Mixpanel refuses as `distinct_id`',
  missing_event_name: 'A track message needs `event` (a non-empty string)',
  invalid_properties: '`properties` must be a plain object',
  invalid_traits: '`traits` must be a plain object',
  invalid_context: '`context` must be a plain object',
  circular_structure: 'The message contains a circular structure',
  missing_previous_id: 'An alias message needs `previousId` and `userId` (non-empty strings)',
  missing_group_id: 'A group message needs `groupId` (or `traits.groupId`), a non-empty string or number',
  missing_group_key: 'No group key: set `groupKeys` in the settings or `traits.groupKey`',
  too_large: 'A record is larger than Mixpanel\'s 1 MB limit',
  internal_error: 'The mapping failed unexpectedly',
} as const;

/** A rejection code. */
export type RejectionCode = keyof typeof REJECTIONS;

/** Warning texts: the mapping changed the data but still sends it. */
export const WARNINGS = {
  renamed: (from: string, to: string) => `Property \`${from}\` renamed to \`${to}\` (reserved by Mixpanel)`,
  reservedDropped: (key: string) => `Property \`${key}\` dropped: names starting with \`$\` or \`mp_\` are Mixpanel's`,
  overridden: (key: string) => `Property \`${key}\` ignored: the mapping sets it`,
  tooDeep: (key: string) => `Property \`${key}\` nested deeper than 3 levels: the deeper part was sent as a JSON string`,
  tooWide: (key: string) => `Property \`${key}\` holds a list or object of more than 254 items: the rest was dropped`,
  tooMany: (dropped: string[]) =>
    `More than 254 properties: dropped ${dropped.length} (${dropped.slice(0, 10).join(', ')}${dropped.length > 10 ? ', …' : ''})`,
  invalidValue: (key: string) => `Property \`${key}\` dropped: not a JSON value`,
  aliasSimplified: 'alias sends nothing under Simplified ID Merge: identify with both ids merges them instead',
  placeholderAnonymousId: (id: string) => `anonymousId \`${id}\` is a placeholder Mixpanel refuses: not sent as $device_id`,
  noPageEvent: 'No page option matched this call: nothing sent',
  anonymousProfile: 'Profile updates need a userId: none sent for an anonymous user',
  mergeDeviceOnly: '`mergeOnIdentify` needs the project secret: $merge is sent in cloud mode only',
} as const;

/** A warning key. */
export type WarningCode = keyof typeof WARNINGS;

/**
 * A warning as the mapping decides it: its key and the values its text names. Each mode words it
 * (cloud: the sentence of {@link WARNINGS}; device: the key and values), so the device bundle
 * carries no sentence.
 */
export type Warning = [WarningCode, ...unknown[]];

/** A warning's sentence. */
export function warningText([code, ...values]: Warning): string {
  const text: string | ((...values: never[]) => string) = WARNINGS[code];
  return typeof text === 'string' ? text : (text as (...values: unknown[]) => string)(...values);
}

/** A rejection with the table's sentence, plus the detail that names the input. */
export function reject(code: RejectionCode, detail?: string): Rejection {
  return { code, message: detail ? `${REJECTIONS[code]}: ${detail}` : REJECTIONS[code] };
}

/** Turns a rejection code and its detail into the rejection a mode answers with. */
export type Describe = (code: RejectionCode, detail?: string) => Rejection;

/** Thrown inside the mapping to stop with a rejection; caught once by the public functions, which word it. */
export class RejectionError extends Error {
  constructor(
    readonly code: RejectionCode,
    readonly detail?: string,
  ) {
    super(code);
  }
}

/** Stops the mapping with a rejection. */
export function fail(code: RejectionCode, detail?: string): never {
  throw new RejectionError(code, detail);
}
