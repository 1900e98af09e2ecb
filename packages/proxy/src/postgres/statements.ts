import { quoteSchema } from './migrations.js';

/** The queue's SQL for one schema. Parameters are numbered as each statement's comment says. */
export interface Statements {
  /** $1..$3 text[] (endpoint, region, key), $4 the bodies joined by {@link BODY_SEPARATOR}, $5 text[] message_id, $6 enqueued_at. */
  enqueue: string;
  /** As `enqueue` but $4 is a text[] of bodies: for bodies a separator cannot split. */
  enqueueBodyArray: string;
  /** $1 now, $2 lease until, $3 max records, $4 max bytes. */
  claim: string;
  /** $1 ids. */
  ack: string;
  /** $1 ids, $2 not before, $3 error. */
  retry: string;
  /** $1 ids, $2 reason, $3 dead at. */
  deadLetter: string;
  count: string;
  /** $1 limit. */
  deadLetters: string;
}

const COLUMNS = 'id, key, endpoint, region, body, message_id, attempts, enqueued_at';

/**
 * Joins the bodies of an enqueue into one parameter. Bodies are JSON text, where a raw U+001E
 * cannot occur (JSON escapes control characters), so splitting on it is exact; and one joined
 * string skips the per-element quoting of a text[] (`\"` for every quote of every body) on both
 * ends: it cut the proxy's CPU per enqueue statement by ~40% (measured). Bodies it cannot carry (one holding
 * the separator, or an empty one, which `string_to_array` drops) go as a text[] instead.
 */
export const BODY_SEPARATOR = '\x1e';
export const joinableBodies = (bodies: readonly string[]): boolean => bodies.every((b) => b.length > 0 && !b.includes(BODY_SEPARATOR));

// One statement for a whole group of requests: one commit, one WAL flush. ORDER BY the ordinality
// so ids (and so per-user order) follow the order the requests listed them.
const enqueue = (s: string, bodies: string) => `INSERT INTO ${s}.queue (endpoint, region, key, body, message_id, enqueued_at)
      SELECT e, r, k, b, m, $6 FROM unnest($1::text[], $2::text[], $3::text[], ${bodies}, $5::text[])
        WITH ORDINALITY AS t(e, r, k, b, m, n) ORDER BY n`;

/** Builds the statements for `schema` (validated and quoted). */
export function statements(schema: string): Statements {
  const s = quoteSchema(schema);
  return {
    enqueue: enqueue(s, `string_to_array($4::text, E'\\x1e')`),
    enqueueBodyArray: enqueue(s, '$4::text[]'),
    // Per-user order across processes: only the head of a key (its oldest queued record) can start
    // a claim, and the head is locked FOR UPDATE SKIP LOCKED, so two claimers never both own a key.
    // A leased or retry-waiting head (available_at > now) blocks its whole key; a record behind it
    // is never a head, so no process can claim it. From each locked head, oldest first, the claim
    // takes the records of its key that follow with the same endpoint and region and are available:
    // `breaks` counts the rows that are not, and since it only grows, PostgreSQL stops reading the
    // key at the first one (a window "run condition"); the outer LIMIT stops visiting heads once
    // a claim is full. The byte limit then cuts that short list in id order (the first record
    // always fits, as in SQLite). `= ANY(ARRAY(…))` keeps the UPDATE on the primary key (with a
    // join the planner scanned the whole table). The UPDATE re-checks available_at on the row it
    // writes, so a row another process leased since this statement's snapshot is left alone.
    claim: `
WITH heads AS (
  SELECT h.id, h.key, h.endpoint, h.region FROM ${s}.queue AS h
  WHERE h.available_at <= $1
    AND NOT EXISTS (SELECT 1 FROM ${s}.queue AS e WHERE e.key = h.key AND e.id < h.id)
  ORDER BY h.id
  LIMIT $3
  FOR UPDATE SKIP LOCKED
), runs AS (
  SELECT r.id, r.bytes FROM heads AS h CROSS JOIN LATERAL (
    SELECT k.id, k.bytes FROM (
      SELECT q.id, octet_length(q.body) AS bytes,
        count(*) FILTER (WHERE q.endpoint <> h.endpoint OR q.region <> h.region OR q.available_at > $1)
          OVER (ORDER BY q.id) AS breaks
      FROM ${s}.queue AS q WHERE q.key = h.key AND q.id >= h.id
    ) AS k WHERE k.breaks = 0 LIMIT $3
  ) AS r
  LIMIT $3
), picked AS (
  SELECT id, count(*) OVER w AS n, sum(bytes) OVER w AS total FROM runs WINDOW w AS (ORDER BY id)
)
UPDATE ${s}.queue AS q SET available_at = $2
WHERE q.id = ANY(ARRAY(SELECT id FROM picked WHERE n = 1 OR total <= $4)) AND q.available_at <= $1
RETURNING q.id, q.key, q.endpoint, q.region, q.body, q.message_id, q.attempts, q.enqueued_at`,
    // Delivered rows are deleted at once, one statement per delivered batch; the space is reused
    // after autovacuum (tuned per table in the migration), so the table stays about as large as the
    // backlog instead of growing with all traffic ever sent.
    ack: `DELETE FROM ${s}.queue WHERE id = ANY($1::bigint[])`,
    retry: `UPDATE ${s}.queue SET available_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = ANY($1::bigint[])`,
    deadLetter: `
WITH gone AS (DELETE FROM ${s}.queue WHERE id = ANY($1::bigint[]) RETURNING ${COLUMNS})
INSERT INTO ${s}.dead_letters (${COLUMNS}, reason, dead_at)
SELECT id, key, endpoint, region, body, message_id, attempts + 1, enqueued_at, $2, $3 FROM gone
ON CONFLICT (id) DO UPDATE SET reason = EXCLUDED.reason, dead_at = EXCLUDED.dead_at, attempts = EXCLUDED.attempts`,
    count: `SELECT count(*)::int AS n FROM ${s}.queue`,
    deadLetters: `SELECT ${COLUMNS}, reason, dead_at FROM ${s}.dead_letters ORDER BY dead_at, id LIMIT $1`,
  };
}
