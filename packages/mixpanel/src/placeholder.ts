// Values Mixpanel refuses as `distinct_id` and `$insert_id` (Import Events → properties.distinct_id
// in Mixpanel's ingestion OpenAPI spec; /work/shared/MIXPANEL.md §3).
const PLACEHOLDERS = new Set([
  'anon', 'anonymous', 'nil', '<nil>', 'none', 'null', 'n/a', 'na', 'nan', 'undefined', 'unknown',
  '0', '-1', 'true', 'false', '[]', '{}', 'lmy47d', '00000000-0000-0000-0000-000000000000',
]);

/** True when Mixpanel would refuse `id` as a placeholder (compared trimmed, case-insensitively). */
export function isPlaceholderId(id: string): boolean {
  return PLACEHOLDERS.has(id.trim().toLowerCase());
}
