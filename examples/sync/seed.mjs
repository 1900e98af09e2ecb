// Creates the example's SQLite database: `customers` (→ Mixpanel user profiles), `accounts`
// (→ group profiles keyed `company`) and `orders` (→ events). Deterministic, so every run of
// `npm start` seeds the same data and a second sync sends nothing.
//   node examples/sync/seed.mjs [path]   (default: examples/sync/customers.db)
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee'];
const COUNTRIES = ['GB', 'US', 'DE', 'FR', 'IN', 'JP', 'BR', 'NL'];
const DAY = 86_400;
// A fixed clock: 2026-11-01T00:00:00Z in seconds.
const EPOCH = 1_793_491_200;

/**
 * Writes the example database at `path` (replacing it): `accounts` companies, `customers`
 * people spread over them, and three `orders` per customer.
 */
export function seed(path, { customers = 50, accounts = 10 } = {}) {
  mkdirSync(dirname(path), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = new Database(path);
  db.exec(`
    CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL, seats INTEGER NOT NULL, industry TEXT);
    CREATE TABLE customers (id TEXT PRIMARY KEY, email TEXT NOT NULL, first_name TEXT, last_name TEXT, country TEXT,
      account_id TEXT REFERENCES accounts (id), lifetime_value REAL NOT NULL, signed_up_at INTEGER NOT NULL, phone TEXT);
    CREATE TABLE orders (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers (id), total REAL NOT NULL,
      currency TEXT NOT NULL, items INTEGER NOT NULL, placed_at INTEGER NOT NULL);
  `);
  const addAccount = db.prepare('INSERT INTO accounts VALUES (?, ?, ?, ?, ?)');
  const addCustomer = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const addOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let a = 1; a <= accounts; a++) {
      addAccount.run(`acct-${a}`, `${LAST[a % LAST.length]} ${['Labs', 'Systems', 'Works'][a % 3]}`, PLANS[a % PLANS.length], 5 * a, a % 4 === 0 ? null : ['software', 'retail', 'finance'][a % 3]);
    }
    for (let c = 1; c <= customers; c++) {
      const first = FIRST[c % FIRST.length];
      const last = LAST[(c * 7) % LAST.length];
      const id = `cust-${c}`;
      const signedUp = EPOCH - c * 3 * DAY;
      addCustomer.run(id, `${first}.${last}${c}@example.com`.toLowerCase(), first, last, COUNTRIES[c % COUNTRIES.length],
        `acct-${(c % accounts) + 1}`, Math.round(c * 37.5 * 100) / 100, signedUp, c % 5 === 0 ? null : `+44 20 7946 ${String(c).padStart(4, '0')}`);
      for (let o = 1; o <= 3; o++) {
        addOrder.run(`order-${c}-${o}`, id, Math.round((c + o) * 12.25 * 100) / 100, 'USD', o, signedUp + o * DAY);
      }
    }
  })();
  db.close();
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = resolve(process.argv[2] ?? fileURLToPath(new URL('./customers.db', import.meta.url)));
  seed(path);
  console.log(`seeded ${path}`);
}
