import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '@tally/mixpanel-emulator';
import { loadSyncConfig, runSync } from '@tally/sync';
import { seed } from '../../../examples/sync/seed.mjs';
import { tempDir } from './helpers.js';

const exampleConfig = fileURLToPath(new URL('../../../examples/sync/sync.yaml', import.meta.url));

describe('examples/sync (what npm start runs)', () => {
  let emu: Emulator;
  let temp: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    temp = tempDir();
    emu = await createEmulator();
  });
  afterEach(async () => {
    await emu.close();
    temp.remove();
  });

  it('seeds customers, accounts and orders and syncs them to the emulator; a rerun sends nothing', async () => {
    const db = seed(`${temp.dir}/customers.db`);
    const env = { MIXPANEL_API_URL: emu.url, TALLY_SYNC_SOURCE: `sqlite:${db}`, TALLY_SYNC_STATE: `${temp.dir}/state.sqlite` };
    const config = loadSyncConfig(exampleConfig, { env });
    expect(await runSync(config)).toMatchObject({ ok: true, read: 210, inserted: 210, failed: 0 });
    expect(emu.profileOf('cust-5')!.properties).toMatchObject({ $email: 'donald.knuth5@example.com', $first_name: 'Donald', $created: '2026-10-17T00:00:00Z', company: 'acct-6' });
    expect(emu.profileOf('cust-5')!.properties.$phone).toBeUndefined();
    expect(emu.groupOf('company', 'acct-4')!.properties).toMatchObject({ $name: 'Liskov Systems', plan: 'free', seats: 20 });
    expect(emu.stats().events.stored).toBe(150);
    expect(await runSync(config)).toMatchObject({ ok: true, unchanged: 210, inserted: 0 });
    await expect(runSync(config, { only: ['nope'] })).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('--only nope') });
  });
});
