import type { ProxyConfigInput } from '../config.js';

const POSTGRES_URL = /^postgres(ql)?:\/\/./;
const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Whether a `queue` setting names the shared PostgreSQL queue (a `postgres://` URL). */
export const isPostgresUrl = (queue: string): boolean => POSTGRES_URL.test(queue);

/** Problems with the queue fields, one line per field (empty when valid). */
export function queueConfigErrors(input: Pick<ProxyConfigInput, 'queue' | 'queueSchema'>): string[] {
  const errors: string[] = [];
  if (input.queue !== undefined && (typeof input.queue !== 'string' || (input.queue !== 'sqlite' && !isPostgresUrl(input.queue)))) {
    errors.push('queue (TALLY_QUEUE_URL): must be sqlite or a postgres:// URL');
  }
  if (input.queueSchema !== undefined && (typeof input.queueSchema !== 'string' || !SCHEMA.test(input.queueSchema))) {
    errors.push('queueSchema (TALLY_QUEUE_SCHEMA): must be a plain identifier (letters, digits, _; at most 63)');
  }
  return errors;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}
