/** The mask shown where a password or secret was. */
const MASK = '***';

/**
 * A connection URL with its password masked, for messages and logs
 * (`postgres://sync:***@db/app`). Text that is not a URL comes back unchanged.
 */
export function redactUrl(url: string): string {
  // A regex rather than `new URL`: it must also mask URLs that do not parse.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/i, `$1${MASK}@`);
}

/**
 * Text (an error message, a log line) with every secret masked: each URL's password, and each
 * listed secret wherever it appears (a driver may echo a password in its own words).
 */
export function redactText(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, `$1${MASK}@`);
  for (const secret of secrets) {
    // Very short "secrets" would mask ordinary words; real passwords and keys are longer.
    if (secret && secret.length >= 4) out = out.split(secret).join(MASK);
  }
  return out;
}

/** The password of a connection URL (decoded), to mask wherever it might appear; undefined if none. */
export function urlPassword(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]*)@/i.exec(url);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
