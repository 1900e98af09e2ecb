import { describe, it } from 'vitest';
import { syncContract } from './contract.js';
import { postgresFixture, PG_URL, probePostgres } from './fixtures.js';

// Skipped only when PostgreSQL is unreachable and not required; CI sets TALLY_REQUIRE_POSTGRES=1.
const probe = await probePostgres();
const required = Boolean(process.env.TALLY_REQUIRE_POSTGRES);

if (probe.ok) syncContract('PostgreSQL', postgresFixture());
else if (required) {
  describe('PostgreSQL', () => {
    it('is reachable (TALLY_REQUIRE_POSTGRES is set)', () => {
      throw new Error(`PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} is unreachable: ${probe.reason}. Run scripts/postgres-up.sh or set TALLY_TEST_PG_URL.`);
    });
  });
} else describe.skip(`PostgreSQL unreachable (${probe.reason}); set TALLY_REQUIRE_POSTGRES=1 to fail instead`, () => it('skipped', () => undefined));
