import { isAbsolute, resolve } from 'node:path';
import { SyncError } from './errors.js';
import { createPostgresSource } from './postgres-source.js';
import { redactText, redactUrl, urlPassword } from './redact.js';
import { createSqliteSource } from './sqlite-source.js';

/** One row of a query result: column name → value as the driver returns it. */
export type Row = Record<string, unknown>;

/**
 * Where rows come from. One small interface so a warehouse (DuckDB, BigQuery, Snowflake) is a
 * new driver, not a change to the sync: stream rows, never hold the whole result.
 */
export interface Source {
  /** The URL with its password masked, for messages. */
  readonly description: string;
  /** Streams the rows of one query; breaking out of the loop ends the query and frees its cursor. */
  query(sql: string): AsyncIterable<Row>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Opens a {@link Source} for a URL; `baseDir` resolves relative file paths. */
export type SourceDriver = (url: string, options: { baseDir: string }) => Promise<Source>;

/** The built-in drivers by URL scheme (the part before the first `:`). */
export const SOURCE_DRIVERS: Readonly<Record<string, SourceDriver>> = {
  sqlite: async (url, { baseDir }) => {
    const path = url.replace(/^sqlite:(\/\/)?/, '');
    return createSqliteSource(isAbsolute(path) ? path : resolve(baseDir, path));
  },
  postgres: async (url) => createPostgresSource(url),
  postgresql: async (url) => createPostgresSource(url),
};

/**
 * Opens the source named by a URL (`sqlite:customers.db`, `postgres://user:pw@host/db`) with the
 * built-in drivers plus any `extra` ones (same scheme: `extra` wins). Errors never show the password.
 */
export async function openSource(url: string, options: { baseDir?: string; drivers?: Record<string, SourceDriver> } = {}): Promise<Source> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const driver = scheme ? (options.drivers?.[scheme] ?? SOURCE_DRIVERS[scheme]) : undefined;
  if (!driver) throw new SyncError('source_url', [redactUrl(url)]);
  try {
    return await driver(url, { baseDir: options.baseDir ?? process.cwd() });
  } catch (error) {
    if (error instanceof SyncError) throw error;
    throw new SyncError('source_connect', [`${redactUrl(url)}: ${redactText((error as Error).message, [urlPassword(url)])}`]);
  }
}
