/** Runs `task` only if no other tab is sending; resolves `false` (without running it) if one is. */
export type Lock = (task: () => Promise<void>) => Promise<boolean>;

/** How long a lease lives unless renewed; a crashed sender blocks others at most this long. */
export const LEASE_MS = 10_000;

/**
 * The cross-tab sender lock: the Web Locks API where it exists (released by the browser when a
 * tab dies), else a lease record `owner expiry` in localStorage (renewed while sending), else
 * no lock at all, since a queue without shared storage has no other tab to race with.
 */
export function createLock(name: string, tab: string): Lock {
  const locks = navigator.locks;
  // request() resolves with the callback's awaited result; the DOM typings leave the promise nested.
  if (locks) return (task) => locks.request(name, { ifAvailable: true }, async (held) => !!held && (await task(), true)) as never;
  let ls: Storage;
  try {
    ls = localStorage;
  } catch {
    return (task) => task().then(() => true);
  }
  const owner = () => ls.getItem(name)?.split(' ') ?? [];
  const renew = () => ls.setItem(name, `${tab} ${Date.now() + LEASE_MS}`);
  return async (task) => {
    const [who, until] = owner();
    if (who != tab && +until! > Date.now()) return false;
    renew();
    // Narrows the window in which two tabs both pass the check: the later write wins, the other backs off.
    await 0;
    if (owner()[0] != tab) return false;
    const timer = setInterval(renew, LEASE_MS / 3);
    await task().finally(() => {
      clearInterval(timer);
      ls.removeItem(name);
    });
    return true;
  };
}
