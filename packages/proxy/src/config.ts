import { isPlainObject } from '@tally/core';
import { resolveMixpanelSettings, type MixpanelSettings, type Region } from '@tally/mixpanel';
import type { BackoffOptions } from './backoff.js';
import { parseTrustedProxies } from './client-ip.js';
import { queueConfigErrors } from './postgres/queue-config.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { MixpanelAuth } from './sender.js';

/** The proxy's configuration as a user writes it (JSON file, environment, or code). */
export interface ProxyConfigInput {
  /** Write keys accepted at ingest (HTTP basic-auth user or `writeKey` in the body). */
  writeKeys?: string[];
  /** Mixpanel settings for the mapping (`token`, `region`, `apiSecret`, `serviceAccount`, …). */
  mixpanel?: Record<string, unknown>;
  /** One base URL for every region (the region is appended as a path prefix, e.g. `/eu`): an emulator. */
  mixpanelApiUrl?: string;
  /** A base URL per region; wins over `mixpanelApiUrl`. Default `apiHost(region)`. */
  mixpanelApiUrls?: Partial<Record<Region, string>>;
  /** Browser origins allowed to send (exact, or `*`). Default none: server-side clients only. */
  allowedOrigins?: string[];
  /** Proxies whose `X-Forwarded-For` is believed: addresses or CIDR ranges. */
  trustedProxies?: string[];
  /** Where the SQLite queue lives. Default `./tally-data`. */
  dataDir?: string;
  /**
   * `sqlite` (default: one process, in `dataDir`) or a `postgres://` URL: one queue that several
   * proxy processes and machines share (README, "Running several proxies").
   */
  queue?: string;
  /** PostgreSQL schema of the shared queue's tables, created and migrated at start. Default `tally`. */
  queueSchema?: string;
  port?: number;
  host?: string;
  /** Ingest path prefix (default `/v1`; e.g. `/t/e` so blocklists do not match). */
  pathPrefix?: string;
  /** Above this many queued operations ingest answers 503 with Retry-After. Default 1,000,000. */
  maxQueueSize?: number;
  /** Per-IP token bucket; `false` turns it off. Default 100/s, burst 200. */
  rateLimit?: RateLimitOptions | false;
  /** Serve mixpanel.js at `route` from `file` (default: mixpanel-browser's dist file, off if not found). */
  mixpanelJs?: { route?: string; file?: string } | false;
  /** Forward mixpanel.js's own requests under `prefix` (default `/mp`) to Mixpanel; `false` turns it off. */
  passThrough?: { prefix?: string } | false;
  delivery?: {
    concurrency?: number;
    leaseMs?: number;
    batchWaitMs?: number;
    pollMs?: number;
    maxAttempts?: number;
    backoff?: BackoffOptions;
    timeoutMs?: number;
    gzip?: boolean;
    /** Deliver from a worker thread with its own SQLite connection (default true for the on-disk SQLite queue). */
    thread?: boolean;
  };
  /**
   * Ingest processes (node:cluster, sharing the port); default 1. With the SQLite queue the primary
   * owns the data directory and delivers, the children ingest into the same WAL file.
   */
  processes?: number;
  /** `process` (default): survives kill -9. `power`: fsync per commit, survives power loss. */
  durability?: 'process' | 'power';
  /** pino level (`silent` in tests). Default `info`. */
  logLevel?: string;
  /** How long shutdown waits for in-flight deliveries. Default 10 s. */
  shutdownTimeoutMs?: number;
}

/** The validated configuration with every default filled in. */
export interface ProxyConfig extends Required<Omit<ProxyConfigInput, 'mixpanel' | 'mixpanelApiUrl' | 'mixpanelApiUrls' | 'mixpanelJs' | 'passThrough' | 'rateLimit' | 'delivery'>> {
  settings: MixpanelSettings;
  auth: MixpanelAuth;
  baseUrls: Partial<Record<Region, string>>;
  rateLimit: RateLimitOptions | false;
  mixpanelJs: { route: string; file?: string } | false;
  passThrough: { prefix: string } | false;
  delivery: NonNullable<ProxyConfigInput['delivery']>;
}

/** Thrown at start when the configuration is invalid; lists every problem by field name. */
export class ConfigError extends Error {
  readonly errors: string[];
  constructor(errors: string[]) {
    super(`[tally] invalid proxy configuration:\n  - ${errors.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.errors = errors;
  }
}

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

/** Overlays the environment variables on a file or code configuration (the environment wins). */
export function configFromEnv(base: ProxyConfigInput, env: Record<string, string | undefined>): ProxyConfigInput {
  const out: ProxyConfigInput = { ...base, mixpanel: { ...(base.mixpanel ?? {}) } };
  const set = <K extends keyof ProxyConfigInput>(key: K, value: ProxyConfigInput[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('writeKeys', list(env.TALLY_WRITE_KEYS));
  set('allowedOrigins', list(env.TALLY_ALLOWED_ORIGINS));
  set('trustedProxies', list(env.TALLY_TRUSTED_PROXIES));
  set('dataDir', env.TALLY_DATA_DIR);
  set('processes', env.TALLY_PROCESSES === undefined ? undefined : Number(env.TALLY_PROCESSES));
  set('queue', env.TALLY_QUEUE_URL);
  set('queueSchema', env.TALLY_QUEUE_SCHEMA);
  set('port', env.TALLY_PORT === undefined ? undefined : Number(env.TALLY_PORT));
  set('mixpanelApiUrl', env.MIXPANEL_API_URL);
  if (env.MIXPANEL_TOKEN !== undefined) out.mixpanel!.token = env.MIXPANEL_TOKEN;
  if (env.MIXPANEL_API_SECRET !== undefined) out.mixpanel!.apiSecret = env.MIXPANEL_API_SECRET;
  if (env.MIXPANEL_REGION !== undefined) out.mixpanel!.region = env.MIXPANEL_REGION;
  return out;
}

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.trim() !== '');
const isUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/[^/]+/.test(v);

/** Validates a configuration and fills in defaults; throws {@link ConfigError} naming each bad field. */
export function resolveProxyConfig(input: ProxyConfigInput): ProxyConfig {
  const errors: string[] = [];
  if (!isPlainObject(input as unknown)) throw new ConfigError(['configuration must be a JSON object']);
  const writeKeys = input.writeKeys ?? [];
  if (!strings(writeKeys) || writeKeys.length === 0) errors.push('writeKeys (TALLY_WRITE_KEYS): at least one non-empty write key is required');
  for (const field of ['allowedOrigins', 'trustedProxies'] as const) {
    if (input[field] !== undefined && !strings(input[field])) errors.push(`${field}: must be a list of strings`);
  }
  try {
    parseTrustedProxies(input.trustedProxies ?? []);
  } catch (error) {
    errors.push(`trustedProxies (TALLY_TRUSTED_PROXIES): ${(error as Error).message}`);
  }
  const port = input.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) errors.push('port (TALLY_PORT): must be an integer from 0 to 65535');
  const pathPrefix = (input.pathPrefix ?? '/v1').replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9._~-]+)*$/.test(pathPrefix)) errors.push('pathPrefix: must look like /v1 or /t/e');
  if (input.maxQueueSize !== undefined && !positive(input.maxQueueSize)) errors.push('maxQueueSize: must be a positive number');
  if (input.mixpanelApiUrl !== undefined && !isUrl(input.mixpanelApiUrl)) errors.push('mixpanelApiUrl (MIXPANEL_API_URL): must be an http(s) URL');
  for (const [region, url] of Object.entries(input.mixpanelApiUrls ?? {})) {
    if (!isUrl(url)) errors.push(`mixpanelApiUrls.${region}: must be an http(s) URL`);
  }
  const rate = input.rateLimit;
  if (rate !== undefined && rate !== false && !(isPlainObject(rate) && positive(rate.perSecond) && positive(rate.burst))) {
    errors.push('rateLimit: must be false or { perSecond, burst } (positive numbers)');
  }
  if (input.durability !== undefined && input.durability !== 'process' && input.durability !== 'power') errors.push('durability: must be process or power');
  if (input.processes !== undefined && !(Number.isInteger(input.processes) && input.processes >= 1 && input.processes <= 64)) errors.push('processes (TALLY_PROCESSES): must be an integer from 1 to 64');
  errors.push(...queueConfigErrors(input));

  const resolved = resolveMixpanelSettings(input.mixpanel ?? {});
  if (!resolved.ok) errors.push(...resolved.errors.map((e) => `mixpanel.${e}`));
  if (errors.length > 0) throw new ConfigError(errors);
  if (!resolved.ok) throw new ConfigError([]);
  const settings = resolved.settings;

  const auth: MixpanelAuth = settings.serviceAccount && settings.projectId
    ? { kind: 'service-account', ...settings.serviceAccount, projectId: settings.projectId }
    : settings.apiSecret
      ? { kind: 'secret', secret: settings.apiSecret }
      : { kind: 'token', token: settings.token };
  const apiUrl = input.mixpanelApiUrl?.replace(/\/+$/, '');
  const baseUrls: Partial<Record<Region, string>> = apiUrl ? { us: `${apiUrl}/us`, eu: `${apiUrl}/eu`, in: `${apiUrl}/in` } : {};
  Object.assign(baseUrls, input.mixpanelApiUrls ?? {});

  return {
    writeKeys: writeKeys.map((k) => k.trim()),
    settings,
    auth,
    baseUrls,
    allowedOrigins: input.allowedOrigins ?? [],
    trustedProxies: input.trustedProxies ?? [],
    dataDir: input.dataDir ?? './tally-data',
    queue: input.queue ?? 'sqlite',
    queueSchema: input.queueSchema ?? 'tally',
    port,
    host: input.host ?? '0.0.0.0',
    pathPrefix,
    maxQueueSize: input.maxQueueSize ?? 1_000_000,
    rateLimit: rate === undefined ? { perSecond: 100, burst: 200 } : rate,
    mixpanelJs: input.mixpanelJs === false ? false : { route: input.mixpanelJs?.route ?? '/lib/mixpanel.min.js', ...(input.mixpanelJs?.file ? { file: input.mixpanelJs.file } : {}) },
    passThrough: input.passThrough === false ? false : { prefix: (input.passThrough?.prefix ?? '/mp').replace(/\/+$/, '') },
    delivery: input.delivery ?? {},
    durability: input.durability ?? 'process',
    processes: input.processes ?? 1,
    logLevel: input.logLevel ?? 'info',
    shutdownTimeoutMs: input.shutdownTimeoutMs ?? 10_000,
  };
}
