import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { basic, body, handlerWith, importEvent, importPost, insertId, NOW, SECRET, TOKEN } from './helpers.js';

const projects = [
  { token: 'tok-1', secret: 'sec-1', projectId: 11, serviceAccounts: [{ username: 'sa.bot', secret: 'sa-pass' }] },
  { token: 'tok-2', secret: 'sec-2', projectId: 22 },
];

describe('/import authentication', () => {
  it.each([
    ['the project token as username, empty password', basic('tok-1'), ''],
    ['the project token with a matching project_id', basic('tok-1'), '?project_id=11'],
    ['the API secret as username, empty password', basic('sec-1'), ''],
    ['a service account with project_id', basic('sa.bot', 'sa-pass'), '?project_id=11'],
    ['a service account sent as plain text', 'Basic sa.bot:sa-pass', '?project_id=11'],
  ])('accepts %s', async (_, auth, query) => {
    const emu = handlerWith({ projects });
    const res = await emu.handle(importPost([importEvent()], { auth, query }));
    expect(res.status).toBe(200);
    expect(body(res)).toEqual({ code: 200, num_records_imported: 1, status: 'OK' });
    expect(emu.store.events.list()[0]?.projectId).toBe(11);
  });

  it.each([
    ['no Authorization header', '', ''],
    ['an unknown token', basic('nope'), ''],
    ['a token with a password', basic('tok-1', 'x'), ''],
    ['a service account without project_id', basic('sa.bot', 'sa-pass'), ''],
    ['a service account for another project', basic('sa.bot', 'sa-pass'), '?project_id=22'],
    ['a wrong service account secret', basic('sa.bot', 'wrong'), '?project_id=11'],
    ['a token with a mismatching project_id', basic('tok-1'), '?project_id=22'],
    ['a Bearer header', 'Bearer tok-1', ''],
  ])('answers 401 to %s', async (_, auth, query) => {
    const emu = handlerWith({ projects });
    const res = await emu.handle(importPost([importEvent()], { auth, query }));
    expect(res.status).toBe(401);
    expect(body(res)).toMatchObject({ code: 401, error: expect.stringContaining('Invalid credentials'), status: 'Unauthorized' });
    expect(emu.store.events.size).toBe(0);
  });

  it('answers 401 (never 403) when the project is on another region', async () => {
    const emu = handlerWith({ projects: [{ token: 'eu', secret: 's', projectId: 3, residency: 'eu' }] });
    expect((await emu.handle(importPost([importEvent()], { auth: basic('eu') }))).status).toBe(401);
    const ok = await emu.handle({ ...importPost([importEvent()], { auth: basic('eu') }), headers: { authorization: basic('eu'), host: 'api-eu.mixpanel.com', 'content-type': 'application/json' } });
    expect(ok.status).toBe(200);
    expect(emu.store.events.list()[0]?.region).toBe('eu');
  });
});

describe('/import validation', () => {
  it('answers strict-mode 400 with failed_records and still imports the valid records', async () => {
    const emu = handlerWith();
    const bad = importEvent({ time: NOW + 2 * 3600 * 1000, $insert_id: 'bad-time-1' });
    const res = await emu.handle(importPost([importEvent(), bad, importEvent({ $insert_id: 'no_underscores' }), { event: '', properties: {} }]));
    expect(res.status).toBe(400);
    expect(body(res)).toEqual({
      code: 400,
      error: 'some data points in the request failed validation',
      failed_records: [
        { index: 1, insert_id: 'bad-time-1', field: 'properties.time', message: expect.any(String) },
        { index: 2, insert_id: 'no_underscores', field: 'properties.$insert_id', message: expect.any(String) },
        { index: 3, insert_id: null, field: 'event', message: expect.any(String) },
      ],
      num_records_imported: 1,
      status: 'Bad Request',
    });
    expect(emu.store.events.size).toBe(1);
    expect(emu.store.rejections()).toHaveLength(3);
  });

  it('with strict=0 answers 200 and counts only what it imported', async () => {
    const emu = handlerWith();
    const res = await emu.handle(importPost([importEvent(), importEvent({ time: undefined })], { query: '?strict=0' }));
    expect(res.status).toBe(200);
    expect(body(res)).toEqual({ code: 200, num_records_imported: 1, status: 'OK' });
  });

  it('takes x-ndjson, gzip and a single object', async () => {
    const emu = handlerWith();
    const nd = [importEvent(), importEvent()].map((e) => JSON.stringify(e)).join('\n') + '\n';
    expect(body(await emu.handle(importPost(nd, { contentType: 'application/x-ndjson' })))).toMatchObject({ num_records_imported: 2 });
    expect(body(await emu.handle(importPost([importEvent(), importEvent(), importEvent()], { gzip: true })))).toMatchObject({ num_records_imported: 3 });
    expect(body(await emu.handle(importPost(importEvent())))).toMatchObject({ num_records_imported: 1 });
    expect(emu.store.events.size).toBe(6);
  });

  it('answers 400 to malformed JSON, a broken ndjson line, bad gzip, and an empty batch', async () => {
    const emu = handlerWith();
    for (const req of [
      importPost('{"event":'),
      importPost(`${JSON.stringify(importEvent())}\n{oops}`, { contentType: 'application/x-ndjson' }),
      { ...importPost([]), headers: { authorization: basic(TOKEN), 'content-encoding': 'gzip' }, body: Buffer.from('not gzip') },
      importPost([]),
      importPost('"just a string"'),
    ]) {
      const res = await emu.handle(req);
      expect(res.status).toBe(400);
      expect(body(res)).toMatchObject({ code: 400, status: 'Bad Request' });
    }
  });

  it('answers 400 past 2,000 records and 413 past 10 MB uncompressed, even when gzipped small', async () => {
    const emu = handlerWith();
    expect((await emu.handle(importPost(Array.from({ length: 2001 }, () => importEvent())))).status).toBe(400);
    const bomb = gzipSync(Buffer.alloc(11 * 1024 * 1024, 32));
    const res = await emu.handle({ ...importPost([]), body: bomb, headers: { authorization: basic(TOKEN), 'content-encoding': 'gzip' } });
    expect(res.status).toBe(413);
    expect(body(res)).toMatchObject({ code: 413, status: 'Request Entity Too Large' });
    const flagged = await emu.handle({ ...importPost([]), bodyTooLarge: true });
    expect(flagged.status).toBe(413);
  });

  it('dedupes on (event, distinct_id, time to the second, $insert_id) and keeps the latest copy', async () => {
    const emu = handlerWith();
    const id = insertId();
    const a = importEvent({ $insert_id: id, time: NOW - 10_100, n: 1 });
    const b = importEvent({ $insert_id: id, time: NOW - 10_900, n: 2 });
    await emu.handle(importPost([a]));
    expect(body(await emu.handle(importPost([b])))).toMatchObject({ num_records_imported: 1 });
    await emu.handle(importPost([importEvent({ $insert_id: id, time: NOW - 12_000 })]));
    await emu.handle(importPost([importEvent({ $insert_id: id, time: NOW - 10_100 }, 'Other')]));
    expect(emu.store.events.size).toBe(3);
    expect(emu.store.events.list().find((e) => e.duplicates === 1)?.properties['n']).toBe(2);
  });

  it('merges identities with $merge on original ID merge, unconditionally', async () => {
    const emu = handlerWith({ identityMerge: 'original' });
    await emu.handle(importPost([{ event: '$merge', properties: { $distinct_ids: ['a', 'b'] } }, { event: '$merge', properties: { $distinct_ids: ['c', 'b'] } }]));
    expect(emu.store.clusterOf('c').ids.sort()).toEqual(['a', 'b', 'c']);
    expect(emu.store.events.size).toBe(0);
  });

  it('uses the project secret default for the dev project', async () => {
    const emu = handlerWith();
    expect((await emu.handle(importPost([importEvent()], { auth: basic(SECRET) }))).status).toBe(200);
  });
});
