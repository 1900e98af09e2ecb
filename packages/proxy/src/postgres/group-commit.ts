/** A function that commits a list of items in one transaction. */
export type CommitFn<T> = (items: T[]) => Promise<void>;

/** Submits one request's items; resolves once they are committed. */
export interface GroupCommit<T> {
  (items: T[]): Promise<void>;
  /** Resolves once every submitted group has settled. */
  drain(): Promise<void>;
}

/**
 * Group commit: while one commit is on its way to the database, the requests that arrive wait and
 * then share the next commit, so a busy proxy pays one round trip and one WAL flush per group, not
 * per request. Each request still resolves only after its own items are committed; if a group
 * fails, its requests are committed one by one so a bad request cannot fail the others.
 */
export function createGroupCommit<T>(commit: CommitFn<T>, maxInFlight = 2): GroupCommit<T> {
  type Pending = { items: T[]; resolve: () => void; reject: (error: unknown) => void };
  let pending: Pending[] = [];
  let inFlight = 0;
  const idle: Array<() => void> = [];

  async function run(group: Pending[]): Promise<void> {
    try {
      await commit(group.flatMap((p) => p.items));
      for (const p of group) p.resolve();
    } catch (error) {
      if (group.length === 1) group[0]!.reject(error);
      else await Promise.all(group.map((p) => commit(p.items).then(p.resolve, p.reject)));
    }
  }

  function next(): void {
    while (inFlight < maxInFlight && pending.length > 0) {
      const group = pending;
      pending = [];
      inFlight++;
      void run(group).finally(() => {
        inFlight--;
        next();
        if (inFlight === 0 && pending.length === 0) for (const done of idle.splice(0)) done();
      });
    }
  }

  const submit = ((items: T[]) =>
    new Promise<void>((resolve, reject) => {
      // Wait one turn so requests finishing in the same event-loop turn share a commit.
      if (pending.push({ items, resolve, reject }) === 1) setImmediate(next);
    })) as GroupCommit<T>;
  submit.drain = () => (inFlight === 0 && pending.length === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r)));
  return submit;
}
