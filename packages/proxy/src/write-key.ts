/** The write key from `Authorization: Basic base64(writeKey:)` (Segment's HTTP API), if any. */
export function basicAuthUser(header: string | null): string | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  let decoded: string;
  try {
    decoded = atob(match[1]!.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
  const user = decoded.split(':')[0];
  return user ? user : undefined;
}
