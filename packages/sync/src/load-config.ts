import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import YAML from 'yaml';
import { resolveSyncConfig, type SyncConfig } from './config.js';
import { SyncError } from './errors.js';

/**
 * Reads a sync config file (`.json`, or YAML for anything else; YAML is a superset of JSON),
 * lays the environment over it and validates it. Relative paths in it (a `sqlite:` source, the
 * state file) resolve against the file's directory; the state defaults to `<name>.state.sqlite`
 * next to the file.
 * @example const config = loadSyncConfig('sync.yaml', { env: process.env });
 */
export function loadSyncConfig(file: string, options: { env?: Record<string, string | undefined> } = {}): SyncConfig {
  const path = resolve(file);
  let input: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    input = path.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new SyncError('config_read', [`${file}: ${(error as Error).message}`]);
  }
  const name = basename(path).replace(/\.(ya?ml|json)$/i, '');
  return resolveSyncConfig(input, { env: options.env ?? {}, baseDir: dirname(path), defaultState: `${name}.state.sqlite` });
}
