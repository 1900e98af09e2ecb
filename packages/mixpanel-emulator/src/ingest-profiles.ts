import type { EmulatorResponse } from './http-types.js';
import type { IngestContext } from './ingest-events.js';
import { MAX_RECORDS_PER_REQUEST } from './limits.js';
import { MESSAGES } from './messages.js';
import { validateUpdate } from './profile-update.js';
import { clientReply, forbidden } from './replies.js';

/** POST /engage (user profiles) or /groups (group profiles): `$token` in each update, one operation each. */
export function handleProfiles(records: unknown[], ctx: IngestContext, endpoint: 'engage' | 'groups'): EmulatorResponse {
  const verbose = ctx.params.get('verbose') === '1';
  if (records.length === 0) return clientReply(false, MESSAGES.noRecords, verbose);
  if (records.length > MAX_RECORDS_PER_REQUEST) return clientReply(false, MESSAGES.tooManyRecords(records.length, MAX_RECORDS_PER_REQUEST), verbose);
  let accepted = 0;
  let forbiddenCount = 0;
  let firstError: string | null = null;
  records.forEach((record, index) => {
    const reject = (field: string, reason: string) => ctx.store.reject({ at: ctx.nowMs, endpoint, region: ctx.region, index, field, reason, record });
    const check = validateUpdate(record, endpoint === 'engage' ? 'user' : 'group');
    if (!check.ok) {
      firstError ??= check.error.message;
      return reject(check.error.field, check.error.message);
    }
    const update = check.update;
    const project = ctx.projects.byToken(update.token);
    // As on /track, an unknown token is answered 1 and the update goes nowhere.
    if (!project) {
      accepted++;
      return reject('$token', MESSAGES.unknownToken);
    }
    if (project.residency && project.residency !== ctx.region) {
      forbiddenCount++;
      return reject('region', MESSAGES.wrongResidency(ctx.region));
    }
    accepted++;
    if (endpoint === 'engage') ctx.store.applyUserUpdate(project.projectId, update, ctx.nowMs);
    else ctx.store.applyGroupUpdate(project.projectId, update, ctx.nowMs);
  });
  if (accepted === 0 && forbiddenCount > 0) return forbidden(MESSAGES.wrongResidency(ctx.region));
  return clientReply(accepted > 0, firstError, verbose);
}
