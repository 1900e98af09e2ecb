/**
 * Values Mixpanel refuses as `distinct_id` and `$insert_id` because they usually mean an
 * implementation mistake. Source: Mixpanel docs, Import Events → properties.distinct_id
 * (mixpanel/docs openapi/src/ingestion.openapi.yaml); `lmy47d` (an Android build id that leaks
 * into ids) from Mixpanel's own mixpanel-import tool; `nan` from /work/shared/MIXPANEL.md §3.
 */
const PLACEHOLDERS = new Set([
  '00000000-0000-0000-0000-000000000000',
  'anon',
  'anonymous',
  'nil',
  'none',
  'null',
  'n/a',
  'na',
  'nan',
  'undefined',
  'unknown',
  '<nil>',
  '0',
  '-1',
  'true',
  'false',
  '[]',
  '{}',
  'lmy47d',
]);

/** True when `id` is one of Mixpanel's refused placeholder ids (compared case-insensitively). */
export function isPlaceholderId(id: string): boolean {
  return PLACEHOLDERS.has(id.trim().toLowerCase());
}
