import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Shared by the tests that run the built CLI as a child process (crash, cluster, multi-process).

const proxyDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));

/** The npm dependencies left external to the test build (resolved from this package's node_modules). */
const npmDeps = ['better-sqlite3', 'pg', 'pino', 'prom-client', 'bowser'];

/**
 * Builds `src/cli.ts` with the repository's rollup config, but with the workspace packages bundled
 * in (their own dist folders may not be built), into a throwaway folder inside this package so
 * the npm dependencies resolve. Returns that folder; remove it with {@link removeBuild}.
 *
 * @param name  names the folder, `.<name>-build-XXXXXX`
 */
export async function buildProxyCli(name: string): Promise<string> {
  const out = mkdtempSync(join(proxyDir, `.${name}-build-`));
  process.env.TALLY_ONLY = 'proxy';
  const { default: configs } = (await import(join(repoDir, 'rollup.config.mjs'))) as { default: Array<{ plugins: unknown[] }> };
  const { rollup } = (await import('rollup')) as typeof import('rollup');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const bundle = await rollup({
    input: { cli: join(proxyDir, 'src/cli.ts') },
    plugins: configs[0]!.plugins as never,
    external: (id) => builtins.has(id) || npmDeps.some((d) => id === d || id.startsWith(`${d}/`)),
    onwarn: () => undefined,
  });
  await bundle.write({ dir: out, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
  await bundle.close();
  return out;
}

/** Removes a folder made by {@link buildProxyCli}; does nothing for `''` (the build never ran). */
export function removeBuild(buildDir: string): void {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
}

/** Writes the proxy configuration these tests run with (fast delivery, info logs) to `file`. */
export function writeTestConfig(file: string): void {
  writeFileSync(
    file,
    JSON.stringify({
      mixpanel: { token: 'tally-dev-token', apiSecret: 'tally-dev-secret' },
      host: '127.0.0.1',
      rateLimit: false,
      mixpanelJs: false,
      logLevel: 'info',
      delivery: { batchWaitMs: 20, pollMs: 50, leaseMs: 2_000, backoff: { baseMs: 50, maxMs: 500 } },
    }),
  );
}

export interface SpawnCliOptions {
  /** The folder returned by {@link buildProxyCli}. */
  buildDir: string;
  /** Arguments after `cli.js`. */
  args: string[];
  /** Added to (and overriding) `process.env`. */
  env: Record<string, string | undefined>;
  /** The spawned process is pushed here, for {@link killAll}. */
  children: ChildProcess[];
}

export interface CliProcess {
  process: ChildProcess;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** What the child printed on stderr so far. */
  stderr: () => string;
}

export interface CliChild extends CliProcess {
  /** The URL the proxy printed it listens on. */
  url: string;
}

/** Spawns the built CLI with stdout and stderr piped, recording its stderr. */
export function spawnCli({ buildDir, args, env, children }: SpawnCliOptions): CliProcess {
  const child = spawn(process.execPath, [join(buildDir, 'cli.js'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return { process: child, exited, stderr: () => stderr };
}

export interface SpawnProxyCliOptions extends SpawnCliOptions {
  /** Names the process in start-up errors ("<label> did not start", "<label> exited early"); default `proxy`. */
  label?: string;
  /** How long to wait for the printed URL; default 15 s. */
  startTimeoutMs?: number;
  /** Finds the URL (group 1) in stdout; default the first `"url":"http://…"`. */
  urlPattern?: RegExp;
}

/** Spawns the built CLI and waits until it prints the URL it listens on. */
export async function spawnProxyCli(options: SpawnProxyCliOptions): Promise<CliChild> {
  const { label = 'proxy', startTimeoutMs = 15_000, urlPattern = /"url":"(http:\/\/[^"]+)"/ } = options;
  const child = spawnCli(options);
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${label} did not start: ${child.stderr()}`)), startTimeoutMs);
    child.process.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = urlPattern.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.process.once('exit', () => reject(new Error(`${label} exited early: ${child.stderr()}`)));
  });
  return { ...child, url };
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** Kills (SIGKILL) every child still running; with `waitForExit`, also waits until they have exited. */
export async function killAll(children: ChildProcess[], { waitForExit = false }: { waitForExit?: boolean } = {}): Promise<void> {
  for (const c of children) if (running(c)) c.kill('SIGKILL');
  if (waitForExit) await Promise.all(children.map((c) => (running(c) ? new Promise((r) => c.once('exit', r)) : undefined)));
}

/**
 * The after-all clean-up of these tests: kills the children (and with `waitForExit` waits until
 * they are gone), closes the emulator, removes the build folder and the data directory.
 */
export async function cleanUp({
  children,
  emulator,
  buildDir,
  data,
  waitForExit = false,
}: {
  children: ChildProcess[];
  emulator: { close(): Promise<unknown> } | undefined;
  buildDir: string;
  data: { remove(): void };
  waitForExit?: boolean;
}): Promise<void> {
  await killAll(children, { waitForExit });
  await emulator?.close();
  removeBuild(buildDir);
  data.remove();
}
