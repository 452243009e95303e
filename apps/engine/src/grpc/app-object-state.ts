import { type AssertedUser, ErrorCode, type RepositoryDefinition, ServiceError, type TrustZoneClient } from '@trustzone/contracts';
import { z } from 'zod';
import type { AppLibrary } from '../apps/app-library';
import { readStored } from '../qix/objects/stored-object';
import { groupsOf } from '../scripts/app-script-service';
import { seesWholeApp } from '../scripts/script-access';

export interface AppObjectStateDeps {
  library: AppLibrary;
  repository: TrustZoneClient<RepositoryDefinition>;
  deadlineMs: number;
}

// The repository's answer: the App.Object row after the change (only what the file needs from it).
const ROW = z.object({ engineObjectId: z.string().max(256), published: z.boolean(), approved: z.boolean(), app: z.object({ id: z.string().min(1).max(64) }) });

/**
 * QRS `PUT /qrs/app/object/{id}/publish|unpublish|approve|unapprove` (through the proxy): the
 * repository decides with the user's rules, checks the state, audits and keeps the row — then the
 * engine writes the row's flags into the object in the app file, under the app's lock, so the file
 * (which sessions show in qMeta, and which moves with the app) says what the row says. The row stays
 * the truth for access. An object the file does not hold (a row registered without one) is left
 * alone; an answer the engine cannot read fails the call after the row changed, and the next change
 * through QIX or /qrs writes the flags again.
 */
export async function changeAppObjectState(d: AppObjectStateDeps, req: { id: string; appId: string; engineObjectId: string; change: string }, user: AssertedUser): Promise<string> {
  if (/^(un)?approve$/i.test(req.change)) await approvalGate(d, req, user);
  const json = (await d.repository.unary('ChangeAppObjectState', { id: req.id, appId: req.appId, engineObjectId: req.engineObjectId, change: req.change }, { deadlineMs: d.deadlineMs, user })).json;
  const parsed = ROW.safeParse(JSON.parse(json));
  if (!parsed.success) throw new ServiceError(ErrorCode.Internal, 'the repository answered an app object the engine cannot read');
  const row = parsed.data;
  if (row.engineObjectId === '') return json; // a row /qrs made without an object in the file
  const held = (await d.library.objects(row.app.id)).some((raw) => readStored(raw)?.id === row.engineObjectId);
  if (!held) return json;
  await d.library.updateObjects(row.app.id, (current) =>
    current.map((raw) => {
      const o = readStored(raw);
      if (o === null || o.id !== row.engineObjectId || o.parentId !== undefined) return raw;
      if (o.published === row.published && o.approved === row.approved) return raw;
      return { ...raw, published: row.published, approved: row.approved, modifiedDate: new Date().toISOString() };
    }),
  );
  return json;
}

/**
 * Section access stays absolute, as over QIX (grpc/repository-object-access.ts): a user it reduces
 * never approves an object into the app's base objects, nor unapproves one, whatever the rules
 * allow — the repository does not know section access, the engine does. The row is read as the
 * user first (a row they cannot read is "not found", as the repository would answer).
 */
async function approvalGate(d: AppObjectStateDeps, req: { id: string; appId: string }, user: AssertedUser): Promise<void> {
  let appId = req.appId;
  if (req.id !== '') {
    const row = z.object({ app: z.object({ id: z.string() }) }).safeParse(JSON.parse((await d.repository.unary('GetEntity', { type: 'app/object', id: req.id, privileges: false }, { deadlineMs: d.deadlineMs, user })).json));
    if (!row.success) throw new ServiceError(ErrorCode.Internal, 'the repository answered an app object the engine cannot read');
    appId = row.data.app.id;
  }
  const model = await d.library.open(appId).catch(() => null);
  // No readable file: nothing to be reduced from (the same rule as the app facts' mayUpdate).
  if (model !== null && !seesWholeApp(model, { userDirectory: user.userDirectory, userId: user.userId, groups: groupsOf(user) })) {
    throw new ServiceError(ErrorCode.PermissionDenied, 'section access reduces this user in the app: no approving or unapproving its objects', { field: 'change' });
  }
}
