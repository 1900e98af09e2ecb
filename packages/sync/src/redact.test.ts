import { describe, expect, it } from 'vitest';
import { openSource, redactText, redactUrl, SyncError } from './index.js';

describe('secrets never shown', () => {
  it('masks URL passwords and listed secrets', () => {
    expect(redactUrl('postgres://sync:p%40ss@db.internal:5432/app')).toBe('postgres://sync:***@db.internal:5432/app');
    expect(redactUrl('postgres://sync@db/app')).toBe('postgres://sync@db/app');
    expect(redactText('failed for postgres://a:hunter22@h/db (password hunter22)', ['hunter22'])).toBe('failed for postgres://a:***@h/db (password ***)');
  });

  it('keeps the password out of connection errors', async () => {
    // Port 9 (discard) on localhost: nothing listens, the connection is refused at once.
    const error = await openSource('postgres://sync:s3cret-pw@127.0.0.1:9/app').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('source_connect');
    expect((error as Error).message).toContain('postgres://sync:***@127.0.0.1:9/app');
    expect((error as Error).message).not.toContain('s3cret-pw');
  });

  it('refuses unknown schemes without echoing the password', async () => {
    const error = await openSource('mysql://root:toor-secret@db/app').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'source_url' });
    expect((error as Error).message).not.toContain('toor-secret');
  });
});
