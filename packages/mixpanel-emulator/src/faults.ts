import type { Faults } from './types.js';

/** What to do to one ingestion request. */
export type FaultDecision =
  | { kind: 'none'; delayMs: number }
  | { kind: 'drop'; delayMs: number }
  | { kind: 'status'; status: number; retryAfter?: number; delayMs: number };

/** mulberry32: a tiny seeded PRNG so fault patterns repeat run to run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, request by request and reproducibly for a seed, which ingestion requests fail and how. */
export function createFaultInjector(initial: Faults = {}) {
  let faults: Faults = {};
  let random: () => number = Math.random;
  let statusTurn = 0;

  function set(next: Faults): void {
    faults = { ...next };
    random = next.seed === undefined ? Math.random : mulberry32(next.seed);
    statusTurn = 0;
  }
  set(initial);

  return {
    set,
    get: (): Faults => ({ ...faults }),
    next(): FaultDecision {
      const delayMs = faults.delayMs && random() < (faults.delayRate ?? 1) ? faults.delayMs : 0;
      const r = random();
      const drop = faults.dropRate ?? 0;
      const limited = drop + (faults.rateLimitRate ?? 0);
      const errored = limited + (faults.errorRate ?? 0);
      if (r < drop) return { kind: 'drop', delayMs };
      if (r < limited) return { kind: 'status', status: 429, retryAfter: faults.retryAfterSeconds ?? 1, delayMs };
      if (r < errored) {
        const statuses = faults.errorStatuses?.length ? faults.errorStatuses : [500, 502, 503];
        return { kind: 'status', status: statuses[statusTurn++ % statuses.length] as number, delayMs };
      }
      return { kind: 'none', delayMs };
    },
  };
}

/** The fault injector. */
export type FaultInjector = ReturnType<typeof createFaultInjector>;
