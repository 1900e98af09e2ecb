import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const syncDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
let buildDir = '';

/**
 * Builds `src/cli.ts` with the repository's rollup plugins, workspace packages bundled in (their
 * dist folders may not exist), into a throwaway folder inside this package so npm packages resolve.
 */
async function buildCli(): Promise<string> {
  const out = mkdtempSync(join(syncDir, '.cli-build-'));
  process.env.TALLY_ONLY = 'sync';
  const { default: configs } = (await import(join(repoDir, 'rollup.config.mjs'))) as { default: Array<{ plugins: unknown[] }> };
  const { rollup } = (await import('rollup')) as typeof import('rollup');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const npmDeps = ['better-sqlite3', 'pg', 'yaml'];
  const bundle = await rollup({
    input: { cli: join(syncDir, 'src/cli.ts') },
    plugins: configs[0]!.plugins as never,
    external: (id) => builtins.has(id) || npmDeps.some((d) => id === d || id.startsWith(`${d}/`)),
    onwarn: () => undefined,
  });
  await bundle.write({ dir: out, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
  await bundle.close();
  return out;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `tally sync …`; `onStart` may kill it. Resolves when it exits. */
function cli(args: string[], env: Record<string, string> = {}, onStart?: (kill: () => void) => void): Promise<Run> {
  const child = spawn(process.execPath, [join(buildDir, 'cli.js'), 'sync', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  onStart?.(() => child.kill('SIGKILL'));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

beforeAll(async () => {
  buildDir = await buildCli();
}, 120_000);
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

describe('tally sync (the CLI)', () => {
  let emu: Emulator;
  let temp: ReturnType<typeof tempDir>;
  let configFile = '';
  const placed = Math.floor(Date.now() / 1000) - 86_400;

  const writeConfig = (rows: number) => {
    const db = new Database(join(temp.dir, 'app.db'));
    db.exec(`CREATE TABLE orders (id TEXT PRIMARY KEY, uid TEXT, at INTEGER);
      INSERT INTO orders WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows}) SELECT 'o' || i, 'u' || (i % 50), ${placed} + i FROM s;`);
    db.close();
    configFile = join(temp.dir, 'sync.yaml');
    writeFileSync(configFile, `source: sqlite:app.db
mixpanel: { token: tally-dev-token, apiUrl: ${emu.url} }
syncs:
  - { name: orders, object: event, query: SELECT * FROM orders, event: Paid, time: at, distinctId: uid, key: id }
`);
  };

  beforeEach(async () => {
    temp = tempDir();
    emu = await createEmulator();
  });
  afterEach(async () => {
    await emu.close();
    temp.remove();
  });

  it('--dry-run prints records and counts; a run prints the table; --json the report; exit 0', async () => {
    writeConfig(10);
    const dry = await cli(['--config', configFile, '--dry-run'], { MIXPANEL_API_SECRET: 'tally-dev-secret' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('orders: {"event":"Paid"');
    expect(dry.stdout).toMatch(/dry run[^\n]*\n.*\norders +event +10 +0 +10/);
    expect(emu.stats().requests).toEqual({});
    const run = await cli(['--config', configFile, '--json'], { MIXPANEL_API_SECRET: 'tally-dev-secret' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, read: 10, inserted: 10, syncs: [{ name: 'orders', requests: 1 }] });
    const again = await cli(['--config', configFile]);
    expect(again.stdout).toMatch(/orders +event +10 +10 +0/);
  }, 60_000);

  it('exits 1 when records failed, 2 on a bad config, and never prints the source password', async () => {
    writeConfig(3);
    const db = new Database(join(temp.dir, 'app.db'));
    db.exec(`INSERT INTO orders VALUES ('bad', 'null', ${placed})`);
    db.close();
    const failed = await cli(['--config', configFile]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/failed orders \["bad"\]: .*placeholder/);
    const bad = await cli(['--config', configFile, '--source', 'postgres://sync:pa55-word@127.0.0.1:9/app']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('postgres://sync:***@127.0.0.1:9/app');
    expect(bad.stderr + bad.stdout).not.toContain('pa55-word');
    writeFileSync(configFile, 'source: sqlite:app.db\nmixpanel: {}\nsyncs: []\n');
    const invalid = await cli(['--config', configFile]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/mixpanel\.token: required[\s\S]*syncs: required/);
  }, 60_000);

  it('killed with SIGKILL mid-run, a rerun delivers every record exactly once after dedupe', async () => {
    writeConfig(10_000);
    // Slow answers keep the run going long enough to be killed between batches.
    emu.setFaults({ delayMs: 400 });
    const killed = await cli(['--config', configFile], {}, (kill) => {
      let polls = 0;
      const timer = setInterval(() => {
        // Bounded: after ~10 s it is killed anyway (and the assertions below say why it failed).
        if (emu.stats().events.stored >= 2_000 || ++polls > 1_000) {
          clearInterval(timer);
          kill();
        }
      }, 10);
    });
    expect(killed.signal).toBe('SIGKILL');
    const stored = emu.stats().events.stored;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(10_000);
    emu.setFaults({});
    const rerun = await cli(['--config', configFile, '--json']);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ ok: true, read: 10_000, failed: 0 });
    expect(emu.stats().events.stored).toBe(10_000);
    expect(new Set(emu.events({ limit: 20_000 }).map((e) => e.insertId)).size).toBe(10_000);
  }, 120_000);
});
