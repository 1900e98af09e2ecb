/**
 * Every error text the emulator answers or records, in one table. Texts quoted from Mixpanel's
 * docs are marked; the others name the rule they enforce (ingestion OpenAPI spec, MIXPANEL.md).
 */
export const MESSAGES = {
  // Whole-request answers.
  /** Quoted: 401 example in the ingestion spec and docs 401-unauthorized page. */
  invalidCredentials: 'Invalid credentials',
  projectIdRequired: 'Invalid credentials: project_id is required with service account credentials',
  projectIdMismatch: 'Invalid credentials: these credentials are not valid for project_id',
  wrongResidency: (region: string) => `this project does not accept data on the ${region} ingestion host (data residency)`,
  /** Quoted: 400 example in the ingestion spec. */
  someFailed: 'some data points in the request failed validation',
  /** Shape of the 413 example in the ingestion spec ("request exceeds max limit of N bytes"). */
  tooLarge: (limit: number) => `request exceeds max limit of ${limit} bytes`,
  /** Quoted: 429 example in the ingestion spec. */
  rateLimited: 'Project exceeded rate limits. Please retry the request with exponential backoff.',
  serverError: 'internal server error (injected fault)',
  tooManyRecords: (n: number, max: number) => `request has ${n} records; the limit is ${max} per request`,
  noRecords: 'request has no records',
  badJson: 'unable to parse the request body as JSON',
  badNdjson: (line: number) => `unable to parse line ${line} of the x-ndjson body`,
  badBase64: 'unable to decode the data parameter (neither JSON nor base64 JSON)',
  missingData: 'no data: send a JSON body or a data= parameter',
  badGzip: 'unable to decompress the gzip body',
  encodingUnsupported: (encoding: string, endpoint: string) =>
    `Content-Encoding ${encoding} is not supported on ${endpoint} (only /import accepts gzip)`,
  methodNotAllowed: (method: string) => `method ${method} is not allowed here`,
  notFound: 'not found',

  // Per-record reasons (strict-mode failed_records and the rejections log).
  notAnObject: 'record is not a JSON object',
  eventMissing: "'event' is required and must be a non-empty string",
  propertiesMissing: "'properties' is required and must be a JSON object",
  recordTooLarge: 'record exceeds 1MB of uncompressed JSON',
  tooManyProperties: (n: number) => `has ${n} properties; at most 254 are allowed (fewer than 255)`,
  tooManyKeys: (field: string, n: number) => `'${field}' has ${n} keys or items; fewer than 255 are allowed`,
  tooDeep: (field: string) => `'${field}' is nested deeper than 3 levels`,
  notUtf8: (field: string) => `'${field}' is invalid: string should be valid utf8`,
  tokenMissing: "'properties.token' is required",
  unknownToken: 'unknown project token: the record was accepted by the endpoint and dropped',
  /** Quoted: 400 example in the ingestion spec. */
  timeInvalid: "'properties.time' is invalid: must be specified as seconds since epoch",
  timeRequired: "'properties.time' is required",
  timeOutOfRange: "'properties.time' is invalid: must be after 1971-01-01 and no more than 1 hour in the future",
  trackTooOld: "'properties.time' is older than 5 days: /track answered 1 and the event was dropped (use /import)",
  distinctIdRequired: "'properties.distinct_id' is required",
  distinctIdType: "'properties.distinct_id' must be a string",
  distinctIdPlaceholder: (v: string) => `'properties.distinct_id' is invalid: '${v}' is a disallowed placeholder value`,
  insertIdRequired: "'properties.$insert_id' is required",
  insertIdFormat: "'properties.$insert_id' is invalid: must be at most 36 bytes of letters, digits and '-'",
  insertIdPlaceholder: (v: string) => `'properties.$insert_id' is invalid: '${v}' is a disallowed placeholder value`,
  mergeIds: "'properties.$distinct_ids' must list at least two valid distinct ids",
  updateTokenMissing: "'$token' is required",
  updateDistinctIdMissing: "'$distinct_id' is required and must be a string",
  groupKeyMissing: "'$group_key' and '$group_id' are required",
  operationCount: (n: number) => `an update must carry exactly one operation; found ${n}`,
  operationUnsupported: (op: string, where: string) => `${op} is not supported on ${where}`,
  operationValue: (op: string, expected: string) => `${op} must be ${expected}`,
  addNotNumber: (key: string) => `$add value for '${key}' must be a number`,
  identityRefused: (anon: string, user: string) =>
    `$identify refused: '${anon}' is already merged into another identified user than '${user}'`,
  aliasRefused: (alias: string) => `$create_alias refused: '${alias}' already belongs to another identity cluster`,
  deviceAlreadyMerged: (device: string, user: string) =>
    `simplified ID merge: '${device}' is already merged into '${user}'; the event stays on its distinct_id`,
} as const;
